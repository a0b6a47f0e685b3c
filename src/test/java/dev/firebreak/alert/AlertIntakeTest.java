package dev.firebreak.alert;

import dev.firebreak.app.Firebreak;
import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.watch.WatchersConfig;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.kernel.WebhookResponse;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcIncidentRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alertmanager notifications through the webhook into the real engine on SQLite, with the
 * console as the chat platform and the rules of {@code bot/alerts.yaml}; the clock is moved, never waited for.
 */
class AlertIntakeTest {

    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    private final ByteArrayOutputStream posted = new ByteArrayOutputStream();
    private Database db;
    private Firebreak firebreak;
    private Webhook webhook;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        // these tests count what the alerts post: no first snapshots (posted on their own thread) and no watchers
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load()
                .withSnapshot(SnapshotConfig.none()).withWatchers(WatchersConfig.none());
        db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        ConsolePlatform platform = new ConsolePlatform(new PrintStream(posted, true, StandardCharsets.UTF_8), 0);
        firebreak = Firebreak.assemble(config, db, clock, List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)),
                metrics);
        webhook = firebreak.webhooks(Map.of()).get(AlertmanagerWebhook.PATH);
    }

    @AfterEach
    void stop() {
        firebreak.close();
        db.close();
    }

    private WebhookResponse send(String body) {
        return send(body.getBytes(StandardCharsets.UTF_8));
    }

    private WebhookResponse send(byte[] body) {
        return webhook.handle(new WebhookRequest(body, Map.of("Content-Type", "application/json")));
    }

    /** What the bot posted since the last call. */
    private String posts() {
        firebreak.outbox().deliverDue();
        String text = posted.toString(StandardCharsets.UTF_8);
        posted.reset();
        return text;
    }

    private List<Incident> incidents() {
        return new JdbcIncidentRepository(db).open();
    }

    @Test
    void a_critical_group_declares_once_repeats_change_nothing_and_a_resolved_group_asks_the_commander() {
        String first = Payloads.notification("{}:{alertname=\"SequencerDown\"}", "firing",
                Payloads.alert("a1", "firing", "SequencerDown", "critical", "op-geth pod 0 is not producing blocks"));
        assertThat(send(first).status()).isEqualTo(200);
        String declared = posts();
        assertThat(incidents()).hasSize(1);
        Incident incident = incidents().getFirst();
        assertThat(incident.severity()).isEqualTo("P1");
        assertThat(declared).contains("op-geth pod 0 is not producing blocks").contains("alertname=SequencerDown")
                .contains(incident.id()).contains("first-response");

        WebhookResponse repeat = send(first);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.body()).isEqualTo("unchanged");
        assertThat(posts()).isEmpty();

        clock.advance(Duration.ofMinutes(5));
        String added = Payloads.notification("{}:{alertname=\"SequencerDown\"}", "firing",
                Payloads.alert("a1", "firing", "SequencerDown", "critical", "op-geth pod 0 is not producing blocks"),
                Payloads.alert("a2", "firing", "SequencerDown", "critical", "op-geth pod 1 is not producing blocks"));
        send(added);
        String addition = posts();
        assertThat(addition).as("the group's message in #ops-alerts is edited, not posted again")
                .containsPattern("\\[#ops-alerts] m\\d+ \\(edited\\)").doesNotContainPattern("\\[#ops-alerts] m\\d+\n")
                .contains("Last change 03:05:00 UTC: SequencerDown firing (a2).");
        assertThat(addition.substring(addition.indexOf("[#inc-"))).as("the incident hears what changed")
                .contains("pod 1").doesNotContain("pod 0");
        assertThat(incidents()).hasSize(1);

        String oneResolved = Payloads.notification("{}:{alertname=\"SequencerDown\"}", "firing",
                Payloads.alert("a1", "resolved", "SequencerDown", "critical", "op-geth pod 0 is not producing blocks"),
                Payloads.alert("a2", "firing", "SequencerDown", "critical", "op-geth pod 1 is not producing blocks"));
        send(oneResolved);
        assertThat(posts()).contains("Alert resolved: SequencerDown").contains("pod 0").doesNotContain("whole group");

        String allResolved = Payloads.notification("{}:{alertname=\"SequencerDown\"}", "resolved",
                Payloads.alert("a1", "resolved", "SequencerDown", "critical", "op-geth pod 0 is not producing blocks"),
                Payloads.alert("a2", "resolved", "SequencerDown", "critical", "op-geth pod 1 is not producing blocks"));
        send(allResolved);
        String resolved = posts();
        assertThat(resolved).contains("The whole group is resolved").contains("is " + incident.id() + " over?")
                .contains("/incident resolve");
        assertThat(incidents()).as("never resolved by the bot").hasSize(1);

        List<TimelineEvent> alerts = new JdbcIncidentRepository(db).timeline(incident.number()).stream()
                .filter(e -> e.type() == TimelineEvent.Type.ALERT).toList();
        assertThat(alerts).hasSize(4).allMatch(e -> e.source() == TimelineEvent.Source.ALERTS);
        assertThat(alerts.getFirst().text()).isEqualTo("Alert SequencerDown firing: op-geth pod 0 is not producing blocks");
    }

    @Test
    void an_alert_no_rule_matches_is_posted_with_its_labels_and_a_declare_hint() {
        send(Payloads.notification("{}:{alertname=\"DiskFilling\"}", "firing",
                Payloads.alert("b1", "firing", "DiskFilling", "page", "disk 91% full on rpc-2")));
        String text = posts();
        assertThat(text).contains("[#ops-alerts]").contains("Alert firing: DiskFilling").contains("severity=page")
                .contains("No rule in bot/alerts.yaml matches").contains("/incident declare <P0-P3> disk 91% full on rpc-2");
        assertThat(incidents()).isEmpty();
    }

    @Test
    void an_alert_labelled_source_is_counted_as_alertmanager_s_and_makes_no_series_of_its_own() {
        send(Payloads.notification("{}:{alertname=\"HighCpu\"}", "firing",
                Payloads.alert("s1", "firing", "HighCpu", "warning", "CPU above 80%").replace("\"severity\":", "\"source\":\"watcher\",\"severity\":")));
        assertThat(metrics.get("firebreak.alerts.received").tag("source", "alertmanager").tag("outcome", "recorded").counter().count())
                .isEqualTo(1);
        assertThat(metrics.get("firebreak.alerts.received").tag("source", "watcher").tag("outcome", "recorded").counter().count())
                .as("a label anyone sending alerts chooses does not name the source").isZero();
    }

    @Test
    void a_warning_is_posted_only() {
        send(Payloads.notification("{}:{alertname=\"HighCpu\"}", "firing",
                Payloads.alert("c1", "firing", "HighCpu", "warning", "CPU above 80% on op-node")));
        assertThat(posts()).contains("[#ops-alerts]").contains("CPU above 80% on op-node").doesNotContain("No rule");
        assertThat(incidents()).isEmpty();
    }

    @Test
    void groups_with_the_same_dedupe_key_join_the_open_incident_within_the_window_of_the_last_one() {
        send(Payloads.notification("{}:{alertname=\"L2HeadStalled\",cluster=\"a\"}", "firing",
                Payloads.alert("d1", "firing", "L2HeadStalled", "critical", "L2 head stalled")));
        clock.advance(Duration.ofMinutes(29));
        send(Payloads.notification("{}:{alertname=\"L2HeadStalled\",cluster=\"b\"}", "firing",
                Payloads.alert("d2", "firing", "L2HeadStalled", "critical", "L2 head stalled on replica b")));
        assertThat(incidents()).hasSize(1);
        assertThat(incidents().getFirst().severity()).isEqualTo("P0");
        assertThat(posts()).contains("L2 head stalled on replica b").contains("INC-1");

        clock.advance(Duration.ofMinutes(30));
        assertThat(incidents()).hasSize(1);
        clock.advance(Duration.ofMinutes(1));
        send(Payloads.notification("{}:{alertname=\"L2HeadStalled\",cluster=\"c\"}", "firing",
                Payloads.alert("d3", "firing", "L2HeadStalled", "critical", "L2 head stalled on replica c")));
        assertThat(incidents()).hasSize(2);
    }

    @Test
    void hostile_bodies_get_a_4xx_with_the_reason_and_change_nothing() {
        String good = Payloads.notification("{}:{alertname=\"X\"}", "firing", Payloads.alert("e1", "firing", "X", "critical", "x"));
        assertThat(send("{not json").status()).isEqualTo(400);
        assertThat(send("{not json").body()).contains("not JSON");
        assertThat(send(good.replace("\"version\":\"4\"", "\"version\":\"3\"")).body()).contains("version is '3'");
        assertThat(send(good.replace(",\"fingerprint\":\"e1\"", "")).body()).isEqualTo("alerts[0].fingerprint is missing");
        assertThat(send(good.replace("\"groupKey\"", "\"groupKeys\"")).body()).isEqualTo("groupKey is missing");
        assertThat(send(good.replace("\"status\":\"firing\",\"labels\"", "\"status\":\"burning\",\"labels\"")).body())
                .contains("status is 'burning'");
        assertThat(send("[]").body()).contains("not a JSON object");
        assertThat(send("{\"version\":\"4\",\"groupKey\":\"g\",\"status\":\"firing\",\"alerts\":[]}").body()).contains("alerts is missing or empty");
        assertThat(send("[".repeat(5000)).status()).isEqualTo(400);
        byte[] huge = new byte[AlertmanagerNotification.MAX_BODY_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(send(huge).status()).isEqualTo(413);
        assertThat(posts()).isEmpty();
        assertThat(incidents()).isEmpty();

        assertThat(send(good).body()).as("nothing was recorded before").isEqualTo("recorded");
    }

    @Test
    void a_store_failure_is_a_503_that_posts_nothing_and_the_retry_is_applied_once() {
        String body = Payloads.notification("{}:{alertname=\"Y\"}", "firing", Payloads.alert("f1", "firing", "Y", "warning", "y is high"));
        db.jdbi().useHandle(h -> h.execute("ALTER TABLE alerts RENAME TO alerts_away"));
        WebhookResponse failed = send(body);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.body()).contains("retry");
        assertThat(posts()).isEmpty();

        db.jdbi().useHandle(h -> h.execute("ALTER TABLE alerts_away RENAME TO alerts"));
        assertThat(send(body).status()).isEqualTo(200);
        assertThat(send(body).body()).isEqualTo("unchanged");
        assertThat(posts().split("y is high", -1)).hasSize(2);
    }
}
