package dev.firebreak.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.firebreak.alert.AlertmanagerWebhook;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.testing.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first snapshot of a declared incident, on Slack (the real SDK against the fake Web API) and
 * the real engine on SQLite, its checks against a sequencer stand-in whose health endpoint hangs
 * until the test lets it answer: the kickoff is posted meanwhile, the snapshot follows as one message.
 */
class FirstSnapshotTest {

    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");

    @TempDir
    Path root;
    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    private final CountDownLatch healthMayAnswer = new CountDownLatch(1);
    private final AtomicInteger healthAsked = new AtomicInteger();
    private HttpServer sequencer;
    private FakeSlackServer slack;
    private Database db;
    private Firebreak firebreak;

    @BeforeEach
    void start() throws IOException {
        sequencer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sequencer.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        sequencer.createContext("/health", exchange -> {
            healthAsked.incrementAndGet();
            try {
                healthMayAnswer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, "{\"status\":\"healthy\"}");
        });
        sequencer.createContext("/ready", exchange -> answer(exchange, "{\"database\":\"connected\"}"));
        sequencer.start();
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
    }

    @AfterEach
    void stop() {
        healthMayAnswer.countDown();
        if (firebreak != null) firebreak.close();
        if (db != null) db.close();
        slack.close();
        sequencer.stop(0);
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The project's configuration with this {@code bot/snapshot.yaml}, and probes that may wait long enough to be seen waiting. */
    private void assemble(String snapshotYaml) throws IOException {
        for (String folder : List.of("bot", "commands", "runbooks", "templates")) copy(Path.of(folder), root.resolve(folder));
        Path services = root.resolve("bot/services.yaml");
        Files.writeString(services, Files.readString(services).replace("timeout: 3s", "timeout: 60s"));
        Files.writeString(root.resolve("bot/snapshot.yaml"), snapshotYaml);
        FirebreakConfig config = new ConfigLoader(root, Map.of("SEQUENCER_URL", "http://127.0.0.1:" + sequencer.getAddress().getPort()))
                .load();
        db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        ChatPlatform platform = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-snapshot-test",
                "SLACK_APP_TOKEN", "xapp-1-snapshot", "SLACK_API_URL", slack.apiUrl()), CommandCatalogs.of(config.commands()),
                Clock.systemUTC(), (p, key) -> true).orElseThrow().platform();
        firebreak = Firebreak.assemble(config, db, clock, List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)),
                new SimpleMeterRegistry());
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) Files.createDirectories(target);
                else Files.copy(file, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bodies of what Firebreak posted in a channel, oldest first. */
    private List<String> postedIn(String channel) {
        firebreak.outbox().deliverDue();
        return slack.calls("chat.postMessage").stream().filter(c -> channel.equals(c.param("channel")))
                .map(c -> java.net.URLDecoder.decode(c.body(), StandardCharsets.UTF_8)).toList();
    }

    private Incident incident(long number) {
        return new JdbcIncidentRepository(db).find(number).orElseThrow();
    }

    @Test
    void the_kickoff_is_posted_while_a_check_hangs_and_the_snapshot_follows_as_one_message_on_the_timeline() throws IOException {
        assemble("""
                checks:
                  - /diag health sequencer
                  - /diag health sequencer ready
                """);
        String declared = firebreak.engine().onCommand(new Inbound.Command("slack", "U0ALICE", "C0INCIDENTS",
                "/incident declare P1 Sequencer ingest stalled")).message().plainText();
        assertThat(declared).startsWith("Declared INC-1 [P1]");
        Eventually.until(() -> healthAsked.get() == 1, "the snapshot to ask the sequencer's health");

        String channel = incident(1).channelId();
        List<String> whileHanging = postedIn(channel);
        assertThat(whileHanging).as("the kickoff (and the on-call notification), posted while the health check hangs")
                .isNotEmpty().noneMatch(post -> post.contains("First snapshot"));
        assertThat(whileHanging.getFirst()).contains("INC-1 [P1] Sequencer ingest stalled");

        healthMayAnswer.countDown();
        firebreak.awaitSnapshots(Eventually.DEADLINE);
        List<String> posted = postedIn(channel);
        assertThat(posted).hasSize(whileHanging.size() + 1);
        String snapshot = posted.getLast();
        assertThat(snapshot).contains("First snapshot of INC-1: all 2 checks OK")
                .contains("/diag health sequencer`").contains("/diag health sequencer ready`")
                .contains("Taken at 03:00:00 UTC");
        assertThat(new JdbcIncidentRepository(db).timeline(1)).filteredOn(e -> e.source() == TimelineEvent.Source.SNAPSHOT)
                .singleElement().satisfies(e -> {
                    assertThat(e.type()).isEqualTo(TimelineEvent.Type.DIAGNOSTIC);
                    assertThat(e.actor()).isEqualTo("firebreak");
                    assertThat(e.details()).containsEntry("status", "OK").containsEntry("checks", "2");
                    assertThat(e.text()).startsWith("First snapshot: /diag health sequencer OK");
                });
    }

    @Test
    void an_incident_an_alert_declares_gets_its_runbooks_checks_and_a_severity_without_checks_gets_none() throws IOException {
        assemble("""
                checks: [/diag health sequencer]
                severities:
                  P2: []
                runbooks:
                  first-response: [/diag health sequencer ready, /diag health nowhere]
                """);
        healthMayAnswer.countDown();
        // bot/alerts.yaml: a critical alert declares a P1 with the runbook first-response
        String body = "{\"receiver\":\"firebreak\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                + "\"labels\":{\"alertname\":\"SequencerDown\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"op-geth is down\"},"
                + "\"startsAt\":\"2026-11-23T02:59:30Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"\",\"fingerprint\":\"f1\"}],"
                + "\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"\",\"version\":\"4\","
                + "\"groupKey\":\"{}:{alertname=\\\"SequencerDown\\\"}\",\"truncatedAlerts\":0}";
        assertThat(firebreak.webhooks(Map.of()).get(AlertmanagerWebhook.PATH)
                .handle(new WebhookRequest(body.getBytes(StandardCharsets.UTF_8), Map.of())).status()).isEqualTo(200);
        firebreak.engine().onCommand(new Inbound.Command("slack", "U0ALICE", "C0INCIDENTS", "/incident declare P2 Disk filling up"));
        firebreak.awaitSnapshots(Eventually.DEADLINE);

        List<String> alerted = postedIn(incident(1).channelId());
        assertThat(alerted).filteredOn(p -> p.contains("First snapshot")).singleElement().satisfies(snapshot ->
                assertThat(snapshot).contains("First snapshot of INC-1: 1 of 2 checks not OK").contains("/diag health sequencer ready`")
                        .contains("/diag health nowhere`").doesNotContain("/diag health sequencer`"));
        assertThat(healthAsked).as("the default check did not run").hasValue(0);
        assertThat(postedIn(incident(2).channelId())).noneMatch(p -> p.contains("First snapshot"));
        assertThat(new JdbcIncidentRepository(db).timeline(2)).noneMatch(e -> e.source() == TimelineEvent.Source.SNAPSHOT);
    }

    @Test
    void a_declaration_a_restart_cut_short_gets_its_first_snapshot_when_it_is_finished() throws IOException {
        healthMayAnswer.countDown();
        // the process stopped after reserving INC-1 and creating its channel, before linking them and posting anything
        db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        Incident reserved = new JdbcIncidentRepository(db).createInFreeChannel(new dev.firebreak.incident.IncidentRepository.NewIncident(
                "P1", "Sequencer ingest stalled", false, "slack", dev.firebreak.incident.IncidentRepository.NO_CHANNEL_YET,
                "inc-20261123-sequencer-ingest-stalled", "alice"), T0);
        slack.addChannel("C0CUTSHORT", reserved.channelName());
        db.close();
        assemble("""
                checks: [/diag health sequencer]
                """);

        firebreak.tick();
        firebreak.awaitSnapshots(Eventually.DEADLINE);

        assertThat(incident(1).channelId()).isEqualTo("C0CUTSHORT");
        assertThat(postedIn("C0CUTSHORT")).as("the kickoff, then the snapshot the normal path would have taken")
                .anySatisfy(p -> assertThat(p).contains("INC-1 [P1] Sequencer ingest stalled"))
                .filteredOn(p -> p.contains("First snapshot")).singleElement()
                .satisfies(p -> assertThat(p).contains("First snapshot of INC-1: its 1 check OK"));
        assertThat(new JdbcIncidentRepository(db).timeline(1)).filteredOn(e -> e.source() == TimelineEvent.Source.SNAPSHOT).hasSize(1);

        firebreak.tick();
        firebreak.awaitSnapshots(Eventually.DEADLINE);
        assertThat(postedIn("C0CUTSHORT")).as("finished once: a later tick takes no second snapshot")
                .filteredOn(p -> p.contains("First snapshot")).hasSize(1);
        assertThat(new JdbcIncidentRepository(db).timeline(1)).filteredOn(e -> e.source() == TimelineEvent.Source.SNAPSHOT).hasSize(1);
    }
}
