package dev.firebreak.watch;

import com.sun.net.httpserver.HttpServer;
import dev.firebreak.app.MutableClock;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.k8s.DemoCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watchers on the HTTP probes (a local service answering {@code /health} and Prometheus text at the
 * network edge, with the thresholds of {@code bot/services.yaml}, seeds 003 and 004) and on the pods
 * of the demo cluster (the fabric8 mock server in CRUD mode, op-node crash-looping).
 */
class ServiceAndPodWatchersTest {

    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");

    @TempDir
    Path data;
    private HttpServer sequencer;
    private volatile String health = "{\"status\":\"healthy\"}";
    private volatile String metrics = "";
    private DemoCluster cluster;
    private WatcherHarness bot;

    @BeforeEach
    void start() throws IOException {
        sequencer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sequencer.createContext("/health", exchange -> answer(exchange, health));
        sequencer.createContext("/metrics", exchange -> answer(exchange, metrics));
        sequencer.start();
        metrics = metrics(0, 0);
        cluster = DemoCluster.start(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC), false);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String metrics(int deadLetters, int circuitOpen) {
        return """
                # TYPE sequencer_ingest_latency_seconds summary
                sequencer_ingest_latency_seconds{quantile="0.99"} 0.1
                # TYPE sequencer_db_pool_available gauge
                sequencer_db_pool_available 20
                # TYPE sequencer_ratelimit_rejected_total counter
                sequencer_ratelimit_rejected_total 3
                # TYPE sequencer_events_rejected_total counter
                sequencer_events_rejected_total 0
                # TYPE sequencer_circuit_breaker_open gauge
                sequencer_circuit_breaker_open %d
                # TYPE sequencer_dead_letter_events gauge
                sequencer_dead_letter_events %d
                """.formatted(circuitOpen, deadLetters);
    }

    @AfterEach
    void stop() {
        if (bot != null) bot.close();
        cluster.close();
        sequencer.stop(0);
    }

    private void startBot(WatchersConfig.Watcher... watchers) {
        FirebreakConfig config = new ConfigLoader(Path.of("."),
                Map.of("SEQUENCER_URL", "http://127.0.0.1:" + sequencer.getAddress().getPort())).load()
                .withClusters(cluster.clustersConfig("demo"));
        bot = new WatcherHarness(WatcherHarness.with(config, WatcherHarness.watchers(watchers)), data, new MutableClock(T0));
    }

    private static WatchersConfig.Watcher watcher(String name, String probe, Map<String, String> with, String when, String alert) {
        return new WatchersConfig.Watcher(name, probe, with, Duration.ofSeconds(30), when, null, alert, Map.of("service", "sequencer"),
                Duration.ZERO);
    }

    @Test
    void metric_thresholds_post_a_warning_declare_at_critical_and_resolve_when_back_within_them() {
        startBot(watcher("sequencer-metrics", "http.metrics", Map.of("service", "sequencer"), null, "SequencerMetrics"));
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();

        metrics = metrics(5, 0);                  // dead letters above 0: warning (seed 004)
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert firing: SequencerMetrics").contains("worst warning").contains("severity=warning");
        assertThat(bot.incidents()).isEmpty();

        metrics = metrics(5, 1);                  // the anchor circuit breaker opened: critical
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert firing: SequencerMetrics").contains("worst critical");
        assertThat(bot.incidents()).hasSize(1);

        metrics = metrics(0, 0);
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: SequencerMetrics").contains("all within thresholds");
    }

    @Test
    void a_tick_stopped_while_its_probe_hangs_records_nothing_and_raises_no_alert() throws Exception {
        try (java.net.ServerSocket hung = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:" + hung.getLocalPort()))
                    .load().withClusters(cluster.clustersConfig("demo"));
            bot = new WatcherHarness(WatcherHarness.with(config, WatcherHarness.watchers(watcher("sequencer-health", "http.health",
                    Map.of("service", "sequencer", "endpoint", "health"), null, "SequencerUnhealthy"))), data, new MutableClock(T0));
            Thread tick = Thread.ofVirtual().start(() -> bot.tickAfter(Duration.ofSeconds(1)));
            try (java.net.Socket probe = hung.accept()) {       // the probe has connected and waits for an answer that never comes
                tick.interrupt();                               // as the engine's shutdown does to a tick that outlives its wait
                assertThat(tick.join(Duration.ofSeconds(10))).as("the tick stops").isTrue();
            }
            assertThat(bot.posts()).as("no 'cannot run' alert for a reading that never came").isEmpty();
            assertThat(new dev.firebreak.store.JdbcWatcherStore(bot.db).state("sequencer-health")).isEmpty();
        }
    }

    @Test
    void an_unhealthy_service_raises_a_critical_alert_and_its_recovery_resolves_it() {
        startBot(watcher("sequencer-health", "http.health", Map.of("service", "sequencer", "endpoint", "health"), null,
                "SequencerUnhealthy"));
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();
        health = "{\"status\":\"degraded\"}";
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert firing: SequencerUnhealthy").contains("severity=critical");
        health = "{\"status\":\"healthy\"}";
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: SequencerUnhealthy");
    }

    @Test
    void a_crash_looping_pod_declares_once_and_resolves_when_the_pod_runs_again() {
        startBot(new WatchersConfig.Watcher("pods-crash-looping", "k8s.pods", Map.of("cluster", "demo"), Duration.ofSeconds(30),
                "critical", null, "PodCrashLooping", Map.of("namespace", DemoCluster.NAMESPACE), Duration.ZERO));
        bot.tickAfter(Duration.ofSeconds(1));
        String crashing = bot.posts();
        assertThat(crashing).contains("Alert firing: PodCrashLooping").contains("failing").contains("namespace=op-stack");
        assertThat(bot.incidents()).hasSize(1);
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).isEmpty();

        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(cluster.apiServerUrl()).build()).build()) {
            for (Pod pod : client.pods().inNamespace(DemoCluster.NAMESPACE).list().getItems()) {
                List<ContainerStatus> running = pod.getStatus().getContainerStatuses().stream()
                        .map(s -> new ContainerStatusBuilder(s).withReady(true).withRestartCount(s.getRestartCount())
                                .withNewState().withNewRunning().withStartedAt(T0.toString()).endRunning().endState().build())
                        .toList();
                pod.getStatus().setContainerStatuses(running);
                pod.getStatus().setPhase("Running");
                client.pods().inNamespace(DemoCluster.NAMESPACE).resource(pod).update();
            }
        }
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: PodCrashLooping");
    }
}
