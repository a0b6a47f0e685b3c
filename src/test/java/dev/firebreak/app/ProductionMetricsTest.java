package dev.firebreak.app;

import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kernel.Message;
import dev.firebreak.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What an operator scrapes from {@code /metrics}: every series there from start-up, HELP text on
 * each, probe results by family and outcome, the outbox's depth and age, and a scrape and the
 * alerting rules in {@code deploy/prometheus/} that Prometheus's own {@code promtool} accepts.
 */
class ProductionMetricsTest {

    static final Path RULES = Path.of("deploy/prometheus/firebreak-rules.yaml");

    @TempDir
    Path data;
    FakeSlackServer slack;
    Database db;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
    }

    @AfterEach
    void stop() {
        db.close();
        slack.close();
    }

    @Test
    void a_scrape_right_after_start_up_has_every_counter_at_zero_with_help_text_and_passes_promtool() throws Exception {
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of()).load();
        Map<String, String> env = Map.of("SLACK_BOT_TOKEN", "xoxb-metrics-test", "SLACK_SIGNING_SECRET", "metrics-test-secret",
                "SLACK_API_URL", slack.apiUrl(), "FIREBREAK_HTTP_PORT", "0");
        String scrape;
        try (Bot bot = Bot.start(config, db, env, Clock.systemUTC(), Duration.ofSeconds(1))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bot.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            scrape = response.body();
        }

        assertThat(scrape).contains(
                "firebreak_commands_seconds_count{outcome=\"ok\"} 0\n",
                "firebreak_commands_seconds_count{outcome=\"denied\"} 0\n",
                "firebreak_commands_seconds_count{outcome=\"error\"} 0\n",
                "firebreak_approvals_finished_total{action=\"chain.pause\",outcome=\"succeeded\"} 0.0\n",
                "firebreak_approvals_finished_total{action=\"k8s.scale\",outcome=\"failed\"} 0.0\n",
                "firebreak_probes_total{family=\"http\",outcome=\"error\"} 0.0\n",
                "firebreak_probes_total{family=\"chain\",outcome=\"critical\"} 0.0\n",
                "firebreak_probes_total{family=\"k8s\",outcome=\"warning\"} 0.0\n",
                "firebreak_probes_total{family=\"sql\",outcome=\"ok\"} 0.0\n",
                "firebreak_outbox_depth 0.0\n",
                "firebreak_outbox_oldest_pending_age_seconds 0.0\n",
                "firebreak_leader 1.0\n",
                "firebreak_store_up 1.0\n");
        List<String> types = scrape.lines().filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
        List<String> helped = scrape.lines().filter(l -> l.startsWith("# HELP ")).map(l -> l.split(" ")[2]).toList();
        assertThat(types).isNotEmpty();
        assertThat(helped).containsExactlyInAnyOrderElementsOf(types);
        assertThat(scrape.lines().filter(l -> l.startsWith("# HELP ")))
                .allSatisfy(help -> assertThat(help.split(" ", 4)).hasSize(4));

        Promtool.Result check = Promtool.run(scrape, "check", "metrics");
        assertThat(check.exitCode()).as("promtool check metrics said:%n%s", check.output()).isZero();
        assertThat(check.output()).isBlank();
    }

    @Test
    void a_probe_that_cannot_reach_its_target_counts_as_error_not_ok() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:" + closedPort)).load();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(), List.of(), metrics)) {
            firebreak.commands().fromChat("slack", "U0ALICE", "C0INCIDENTS", "/diag health sequencer");
        }

        assertThat(metrics.get("firebreak.probes").tags("family", "http", "outcome", "error").counter().count()).isEqualTo(1);
        assertThat(metrics.get("firebreak.probes").tags("family", "http", "outcome", "ok").counter().count()).isZero();
        assertThat(metrics.get("firebreak.commands").tags("outcome", "ok").timer().count()).isEqualTo(1);
    }

    @Test
    void the_oldest_pending_age_is_how_long_the_first_undelivered_message_has_waited() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T03:00:00Z"));
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of()).load();
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Firebreak firebreak = Firebreak.assemble(config, db, clock, List.of(), metrics)) {
            firebreak.outbox().enqueue("slack", "C0INCIDENTS", Message.text("first"));
            clock.advance(Duration.ofSeconds(30));
            firebreak.outbox().enqueue("slack", "C0INCIDENTS", Message.text("second"));
            clock.advance(Duration.ofSeconds(60));

            assertThat(metrics.get("firebreak.outbox.oldest.pending.age").gauge().value()).isEqualTo(90.0);
            assertThat(metrics.get("firebreak.outbox.depth").gauge().value()).isEqualTo(2.0);
            assertThat(metrics.get("firebreak.leader").gauge().value()).as("not started, so not active").isZero();
        }
    }

    @Test
    void the_example_alerting_rules_pass_promtool_and_cover_outbox_leader_and_store() throws Exception {
        String rules = Files.readString(RULES);
        assertThat(rules).contains("alert: FirebreakOutboxStuck", "firebreak_outbox_oldest_pending_age_seconds",
                "alert: FirebreakNoLeader", "firebreak_leader", "alert: FirebreakStoreUnreachable", "firebreak_store_up");

        Promtool.Result check = Promtool.run("", "check", "rules", RULES.toString());
        assertThat(check.exitCode()).as("promtool check rules said:%n%s", check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    /** Prometheus's promtool (Debian package {@code prometheus}); tests that need it are skipped, saying so, where it is absent. */
    static final class Promtool {

        record Result(int exitCode, String output) {}

        static Result run(String stdin, String... args) throws IOException, InterruptedException {
            assumeTrue(installed(), "promtool is not installed (apt-get install prometheus); .ci/run installs it");
            List<String> command = new java.util.ArrayList<>(List.of("promtool"));
            command.addAll(Arrays.asList(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            return new Result(process.exitValue(), output);
        }

        static boolean installed() {
            return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                    .anyMatch(dir -> Files.isExecutable(Path.of(dir, "promtool")));
        }
    }
}
