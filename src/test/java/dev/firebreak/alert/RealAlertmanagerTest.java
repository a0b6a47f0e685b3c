package dev.firebreak.alert;

import dev.firebreak.app.Firebreak;
import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.incident.Incident;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookResponse;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real Alertmanager (Debian's {@code prometheus-alertmanager}, installed by {@code .ci/run})
 * fires an alert through its {@code /api/v2/alerts} at Firebreak's operations server, with a
 * bearer token, then resolves it; the test checks what arrives and what Firebreak makes of it.
 */
class RealAlertmanagerTest {

    private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final String TOKEN = "am-test-token-6f1c";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** One delivery as it arrived: the body Alertmanager sent and what Firebreak answered. */
    record Delivery(String body, String authorization, WebhookResponse response) {}

    @Test
    void a_fired_and_resolved_alert_reaches_firebreak_as_one_incident_that_is_left_for_the_commander() throws Exception {
        assumeTrue(Files.isExecutable(BINARY), "prometheus-alertmanager is not installed (apt-get install prometheus-alertmanager; "
                + ".ci/run installs it); the real Alertmanager test is skipped");
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();
        ByteArrayOutputStream posted = new ByteArrayOutputStream();
        BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("firebreak.db"));
             Firebreak firebreak = Firebreak.assemble(config, db, new MutableClock(Instant.now()),
                     List.of(new Firebreak.PlatformConnection(new ConsolePlatform(new PrintStream(posted, true, StandardCharsets.UTF_8), 0),
                             Duration.ZERO)), new SimpleMeterRegistry())) {
            Webhook alerts = firebreak.webhooks(Map.of("FIREBREAK_ALERT_TOKEN", TOKEN)).get(AlertmanagerWebhook.PATH);
            Webhook recording = request -> {
                WebhookResponse response = alerts.handle(request);
                deliveries.add(new Delivery(request.bodyText(), request.header("Authorization").orElse(""), response));
                return response;
            };
            try (OperationsServer server = new OperationsServer(0, () -> new Readiness(Map.of()),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Map.of(AlertmanagerWebhook.PATH, recording)).start()) {
                String webhook = "http://127.0.0.1:" + server.port() + AlertmanagerWebhook.PATH;
                assertThat(post(webhook, "{}", null).statusCode()).as("no token").isEqualTo(401);
                assertThat(post(webhook, "{}", "wrong").statusCode()).as("wrong token").isEqualTo(401);
                deliveries.clear();

                int port = freePort();
                Process alertmanager = startAlertmanager(webhook, port);
                try {
                    String api = "http://127.0.0.1:" + port + "/api/v2/alerts";
                    awaitReady("http://127.0.0.1:" + port + "/-/ready");
                    String alert = "[{\"labels\":{\"alertname\":\"L2HeadStalled\",\"severity\":\"critical\",\"namespace\":\"jeju\"},"
                            + "\"annotations\":{\"summary\":\"No new L2 block for 2 minutes\"}%s}]";
                    assertThat(post(api, alert.formatted(""), null).statusCode()).isEqualTo(200);

                    Delivery firing = deliveries.poll(30, TimeUnit.SECONDS);
                    assertThat(firing).as("Alertmanager delivered the firing notification").isNotNull();
                    assertThat(firing.authorization()).isEqualTo("Bearer " + TOKEN);
                    assertThat(firing.body()).contains("\"version\":\"4\"").contains("\"groupKey\":\"{}:{alertname=\\\"L2HeadStalled\\\"}\"")
                            .contains("\"fingerprint\":").contains("\"endsAt\":\"0001-01-01T00:00:00Z\"");
                    assertThat(firing.response().status()).isEqualTo(200);
                    List<Incident> open = new JdbcIncidentRepository(db).open();
                    assertThat(open).hasSize(1);
                    assertThat(open.getFirst().severity()).isEqualTo("P0");

                    String ended = ",\"endsAt\":\"" + Instant.now().minusSeconds(5) + "\"";
                    assertThat(post(api, alert.formatted(ended), null).statusCode()).isEqualTo(200);
                    Delivery resolved = deliveries.poll(30, TimeUnit.SECONDS);
                    assertThat(resolved).as("Alertmanager delivered the resolved notification").isNotNull();
                    assertThat(resolved.body()).contains("\"status\":\"resolved\"");
                    assertThat(resolved.response().body()).isEqualTo("recorded");
                    firebreak.outbox().deliverDue();
                    assertThat(posted.toString(StandardCharsets.UTF_8)).contains("The whole group is resolved")
                            .contains("is INC-1 over?");
                    assertThat(new JdbcIncidentRepository(db).open()).as("left for the commander to resolve").hasSize(1);
                } finally {
                    alertmanager.destroy();
                    alertmanager.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private Process startAlertmanager(String webhook, int port) throws IOException {
        Path configFile = dir.resolve("alertmanager.yml");
        Files.writeString(configFile, """
                route:
                  receiver: firebreak
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: firebreak
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                        http_config:
                          authorization:
                            credentials: %s
                """.formatted(webhook, TOKEN));
        return new ProcessBuilder(BINARY.toString(), "--config.file=" + configFile, "--storage.path=" + dir.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
    }

    /** Asks until Alertmanager answers, for at most 20 s (it starts in well under a second here). */
    private static void awaitReady(String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the poll interval
        }
        throw new AssertionError("Alertmanager did not become ready at " + url);
    }

    private static HttpResponse<String> post(String url, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
