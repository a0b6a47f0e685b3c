package dev.firebreak.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.paging.PagerDutyStandIn;
import dev.firebreak.paging.PagerDutyWebhook;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.testing.Eventually;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paging through PagerDuty's Events API v2, against a stand-in at the network edge that records
 * events and answers 429, 500 or 400 when told; the clock is moved by the test, and every step is
 * a fresh process on the same store.
 */
class PagingTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String CHANNEL = "inc-20261123-l2-blocks-stopped";
    private static final String ROUTING_KEY = "R0ut1ngKeyOfTheOnCallService0001";
    private static final String WEBHOOK_SECRET = "pd-webhook-secret-9c2e-must-not-leak";

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    private final PagerDutyStandIn pagerDuty = PagerDutyStandIn.start();
    private final FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9",
            "PAGERDUTY_ROUTING_KEY", ROUTING_KEY, "PAGERDUTY_EVENTS_URL", pagerDuty.url(),
            "PAGERDUTY_WEBHOOK_SECRET", WEBHOOK_SECRET)).load();

    @AfterEach
    void nothing_posted_or_stored_holds_the_routing_key_or_the_webhook_secret() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            String stored = db.jdbi().withHandle(h -> String.join("\n", h.createQuery(
                    "SELECT body FROM outbox UNION ALL SELECT body || COALESCE(last_error, '') FROM paging_events "
                            + "UNION ALL SELECT text FROM timeline_events UNION ALL SELECT detail FROM audit_log").mapTo(String.class).list()));
            assertThat(stored).isNotBlank().doesNotContain(ROUTING_KEY).doesNotContain(WEBHOOK_SECRET);
        } finally {
            pagerDuty.close();
        }
    }

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    private double pages(String action, String outcome) {
        return metrics.get("firebreak.pages").tag("action", action).tag("outcome", outcome).counter().count();
    }

    private String process(Consumer<Firebreak> work) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    new JdbcOutboxStore(db).countDelivered("console"));
            Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), metrics);
            try {
                work.accept(firebreak);
            } finally {
                firebreak.close();
                firebreak.outbox().deliverDue();
            }
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain(ROUTING_KEY).doesNotContain(WEBHOOK_SECRET);
        return out;
    }

    private static Consumer<Firebreak> say(String who, String channel, String line) {
        return firebreak -> {
            firebreak.engine().onCommand(new Inbound.Command("console", who, channel, line));
            firebreak.outbox().deliverDue();
        };
    }

    private void awaitEvents(int count) {
        Eventually.until(() -> pagerDuty.received().size() >= count, "for PagerDuty to receive " + count + " events");
    }

    private static String action(JsonNode event) {
        return event.path("event_action").asText();
    }

    @Test
    void declare_triggers_escalation_retriggers_ack_acknowledges_and_resolve_resolves_all_under_the_incidents_dedup_key() {
        String declared = process(say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        assertThat(declared).contains("bob is on call for primary (On-call engineer) and was paged.");
        awaitEvents(1);
        JsonNode trigger = pagerDuty.received().getFirst();
        String dedupKey = trigger.path("dedup_key").asText();
        assertThat(dedupKey).startsWith("firebreak-INC-1-");
        assertThat(action(trigger)).isEqualTo("trigger");
        assertThat(trigger.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(trigger.path("payload").path("summary").asText()).isEqualTo("INC-1 [P0] L2 blocks stopped (on call for primary)");
        assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("critical");
        assertThat(trigger.path("payload").path("source").asText()).isEqualTo("firebreak");
        assertThat(trigger.path("payload").path("custom_details").path("channel").asText()).isEqualTo("#" + CHANNEL);
        assertThat(trigger.has("links")).as("the console has no channel link to give").isFalse();

        clock.advance(Duration.ofMinutes(5));
        assertThat(process(Firebreak::tick)).contains("escalated to level 2 (Engineering lead), calling carol and paging.");
        awaitEvents(2);
        process(say("carol", CHANNEL, "/incident ack"));
        awaitEvents(3);
        process(say("alice", CHANNEL, "/incident resolve op-node restarted"));
        awaitEvents(4);

        List<JsonNode> events = pagerDuty.received();
        assertThat(events).extracting(PagingTest::action).containsExactly("trigger", "trigger", "acknowledge", "resolve");
        assertThat(events).allSatisfy(e -> assertThat(e.path("dedup_key").asText()).isEqualTo(dedupKey));
        assertThat(events.get(1).path("payload").path("summary").asText()).isEqualTo("INC-1 [P0] L2 blocks stopped (escalated to Engineering lead)");

        clock.advance(Duration.ofHours(1));
        process(Firebreak::tick);
        assertThat(pagerDuty.received()).as("levels 3 and 4 are not called after the ack").hasSize(4);
    }

    @Test
    void a_429_and_a_500_are_tried_again_with_a_growing_delay_until_pagerduty_accepts_the_event() {
        pagerDuty.answer(429, 500);
        process(say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        awaitEvents(1);

        clock.advance(Duration.ofSeconds(4));
        process(Firebreak::tick);
        assertThat(pagerDuty.received()).as("not before 5 s").hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        process(Firebreak::tick);
        assertThat(pagerDuty.received()).as("the 500").hasSize(2);
        clock.advance(Duration.ofSeconds(9));
        process(Firebreak::tick);
        assertThat(pagerDuty.received()).as("not before 10 s more").hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        process(Firebreak::tick);
        clock.advance(Duration.ofMinutes(1));
        process(Firebreak::tick);

        List<JsonNode> events = pagerDuty.received();
        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e).isEqualTo(events.getFirst()));
        assertThat(pages("trigger", "retried")).isEqualTo(2);
        assertThat(pages("trigger", "accepted")).isEqualTo(1);
    }

    @Test
    void a_400_is_reported_once_in_the_incident_channel_and_never_sent_again() {
        pagerDuty.answer(400);
        String declared = process(say("alice", "incidents", "/incident declare P1 RPC latency high"));
        String later = "";
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            later += process(Firebreak::tick);
        }
        String all = declared + later;
        String report = "PagerDuty refused the trigger event of INC-1: PagerDuty answered HTTP 400: {\"status\":\"invalid event\"";
        assertThat(all.split(java.util.regex.Pattern.quote(report), -1)).as("reported once").hasSize(2);
        assertThat(all).contains("Length of 'routing_key' is incorrect").contains("It is not sent again");
        assertThat(pagerDuty.received()).hasSize(1);
        assertThat(pages("trigger", "refused")).isEqualTo(1);
        assertThat(pages("trigger", "accepted")).as("counted from start-up, at zero").isZero();
    }

    @Test
    void a_replica_that_no_longer_leads_pages_nobody_and_the_leader_delivers_the_event_once() {
        process(firebreak -> {
            firebreak.fence(() -> false);
            say("alice", "incidents", "/incident declare P0 L2 blocks stopped").accept(firebreak);
            firebreak.pager().deliverDue();
        });
        assertThat(pagerDuty.received()).as("the deposed replica sent nothing").isEmpty();

        process(Firebreak::tick);
        awaitEvents(1);
        assertThat(pagerDuty.received()).extracting(PagingTest::action).containsExactly("trigger");
    }

    @Test
    void events_queued_when_the_process_stops_are_delivered_once_after_it_starts_again() {
        pagerDuty.answer(500);
        process(say("alice", "incidents", "/incident declare P1 RPC latency high"));
        awaitEvents(1);

        clock.advance(Duration.ofSeconds(5));
        process(Firebreak::tick);
        process(Firebreak::tick);
        clock.advance(Duration.ofMinutes(10));
        process(Firebreak::tick);

        assertThat(pagerDuty.received()).extracting(PagingTest::action).containsExactly("trigger", "trigger");
    }

    @Test
    void pagerdutys_signed_acknowledged_webhook_acknowledges_the_incident_and_an_unsigned_one_changes_nothing() throws Exception {
        process(say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        awaitEvents(1);
        String dedupKey = pagerDuty.received().getFirst().path("dedup_key").asText();
        clock.advance(Duration.ofMinutes(2));

        String body = """
                {"event":{"id":"01DEN4HPBQAAAG05V5QQYBRZMF","event_type":"incident.acknowledged","resource_type":"incident",
                 "occurred_at":"2026-11-23T10:02:00.000Z","agent":{"id":"PLH1HKV","summary":"Bob Baker","type":"user_reference"},
                 "data":{"id":"PGR0VU2","type":"incident","number":2,"status":"acknowledged","incident_key":"%s",
                 "title":"INC-1 [P0] L2 blocks stopped (on call for primary)"}}}""".formatted(dedupKey);
        int[] statuses = new int[3];
        String acknowledged = process(firebreak -> {
            try (OperationsServer server = new OperationsServer(0, () -> new Readiness(Map.of("store", true)),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), firebreak.webhooks(Map.of())).start()) {
                statuses[0] = post(server, body, null);
                statuses[1] = post(server, body, "v1=" + "0".repeat(64));
                statuses[2] = post(server, body, "v1=" + "f".repeat(64) + ",v1=" + sign(body));
            }
            firebreak.outbox().deliverDue();
        });
        assertThat(statuses).containsExactly(401, 401, 200);
        assertThat(acknowledged).contains("INC-1 acknowledged by Bob Baker in PagerDuty after 2m (level 1); escalation stopped.");

        clock.advance(Duration.ofMinutes(30));
        assertThat(process(Firebreak::tick)).doesNotContain("escalated");
        assertThat(pagerDuty.received()).as("nothing sent back to PagerDuty").extracting(PagingTest::action).containsExactly("trigger");
    }

    private static int post(OperationsServer server, String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PagerDutyWebhook.PATH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) request.header("X-PagerDuty-Signature", signature);
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
