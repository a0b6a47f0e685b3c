# The production bot only: target/firebreak.jar and target/lib, built from src/main; no demo, no test peers.
#   Build: docker build -t firebreak .
#   Run:   docker run -e SLACK_BOT_TOKEN=... -e SLACK_APP_TOKEN=... -v firebreak-data:/app/data firebreak
# /app/data holds the SQLite store (incidents, approvals, the audit log, the outbox): keep it on a
# volume, or set FIREBREAK_DB_URL to PostgreSQL. The configuration folders are baked in; mount your
# own over /app/bot, /app/commands, /app/runbooks or /app/templates.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src/main src/main
# no tests, so no demo (src/demo) and no anvil or solc from npm
RUN mvn -q -B -Dmaven.test.skip=true -P '!chain-test-tools' package

FROM eclipse-temurin:21-jre-noble
WORKDIR /app
# dependencies before the jar: a code change rebuilds only the last layers
COPY --from=build /src/target/lib /app/lib
COPY --from=build /src/target/firebreak.jar /app/firebreak.jar
COPY bot /app/bot
COPY commands /app/commands
COPY runbooks /app/runbooks
COPY templates /app/templates
RUN groupadd --system --gid 10001 firebreak \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --shell /usr/sbin/nologin firebreak \
 && mkdir -p /app/data && chown 10001:10001 /app/data
VOLUME ["/app/data"]
USER 10001:10001
ENV FIREBREAK_HTTP_PORT=8080
EXPOSE 8080
# /health answers once the operations server is up; the Temurin image ships wget
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${FIREBREAK_HTTP_PORT}/health" || exit 1
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-jar", "/app/firebreak.jar"]
CMD ["run"]
