package dev.firebreak.chat.slack;


import dev.firebreak.chat.RecordingListener;
import dev.firebreak.chat.Reply;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.TestDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ack latency of slash commands in HTTP mode: 1,000 signed commands, 20 at a time, through the
 * operations server and the real Bolt app, while the command behind the first one hangs for 10 s.
 * Prints p50/p99/max. Not a test; run it after {@code ./mvnw -q -B -o test-compile} with
 * <pre>
 * CP=$(./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
 * java -cp target/test-classes:target/classes:$CP dev.firebreak.chat.slack.SlackAckLatencyBenchmark
 * </pre>
 */
public final class SlackAckLatencyBenchmark {

    static final int REQUESTS = 1_000;
    static final int CONCURRENCY = 20;
    static final String SIGNING_SECRET = "benchmark-signing-secret";

    public static void main(String[] args) throws Exception {
        try (FakeSlackServer slack = FakeSlackServer.start();
             Database store = TestDatabases.sqliteIn(java.nio.file.Files.createTempDirectory("slack-ack-bench"))) {
            AtomicInteger hung = new AtomicInteger();
            RecordingListener listener = new RecordingListener().answering(command -> {
                if (command.text().contains("hang")) {
                    hung.incrementAndGet();
                    try {
                        Thread.sleep(Duration.ofSeconds(10)); // the slow command the others must not wait for
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Reply.privately("ok");
            });
            SlackAdapter adapter = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-benchmark",
                    "SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, Clock.systemUTC(),
                    new JdbcDeliveryLog(store, Clock.systemUTC())).orElseThrow();
            adapter.start(listener);
            try (OperationsServer server = new OperationsServer(0, () -> new Readiness(Map.of()),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    Map.of("/slack/events", adapter.httpEndpoint().orElseThrow())).start()) {
                URI endpoint = URI.create("http://127.0.0.1:" + server.port() + "/slack/events");
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                report("cold JVM", send(http, endpoint, slack, "cold", REQUESTS, true));
                report("warm JVM", send(http, endpoint, slack, "warm", REQUESTS, true));
                System.out.printf("  commands that hung: %d (each for 10 s, after its ack)%n", hung.get());
            } finally {
                adapter.close();
            }
        }
    }

    record Run(List<Long> sortedNanos, int failures, long wallNanos) {}

    static Run send(HttpClient http, URI endpoint, FakeSlackServer slack, String label, int count, boolean hangFirst)
            throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                sent.add(clients.submit(() -> {
                    String body = "command=%2Fdiag&text=" + (hangFirst && n == 0 ? "hang" : "block+l2")
                            + "&user_id=U1ALICE&channel_id=C0OPS&team_id=T0FIRE&trigger_id=" + label + "." + n
                            + "&response_url=" + URLEncoder.encode(slack.responseUrl(label + n), StandardCharsets.UTF_8);
                    long now = Instant.now().getEpochSecond();
                    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Slack-Request-Timestamp", String.valueOf(now))
                            .header("X-Slack-Signature", SlackSigner.sign(SIGNING_SECRET, now, body))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200) failures.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    latencies.add(System.nanoTime() - t0);
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get(2, TimeUnit.MINUTES);
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Run(sorted, failures.get(), System.nanoTime() - started);
    }

    static void report(String label, Run run) {
        System.out.printf("Slack HTTP mode ack latency, %s: %d signed commands, %d concurrent, one hanging 10 s%n",
                label, run.sortedNanos().size(), CONCURRENCY);
        System.out.printf("  p50 %.1f ms   p99 %.1f ms   max %.1f ms   non-200 %d   wall %.1f s%n",
                ms(percentile(run.sortedNanos(), 50)), ms(percentile(run.sortedNanos(), 99)),
                ms(run.sortedNanos().getLast()), run.failures(), run.wallNanos() / 1e9);
    }

    static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
