# Build: docker build -t firebreak .   Run: docker run -e SLACK_BOT_TOKEN=... -v firebreak-data:/app/data firebreak run
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
# the demo's anvil and solc (npm) are not part of the image
RUN mvn -q -B -DskipTests -P '!chain-test-tools' package

FROM eclipse-temurin:21-jre
RUN useradd --system --uid 10001 firebreak
WORKDIR /app
COPY --from=build /src/target/firebreak.jar /app/firebreak.jar
COPY --from=build /src/target/lib /app/lib
COPY bot bot
COPY commands commands
COPY runbooks runbooks
COPY templates templates
RUN mkdir -p /app/data && chown firebreak /app/data
USER firebreak
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-jar", "/app/firebreak.jar"]
CMD ["run"]
