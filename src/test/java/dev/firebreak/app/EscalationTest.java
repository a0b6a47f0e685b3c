package dev.firebreak.app;

import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Notifying the on-call person and escalating unacknowledged incidents (bot/oncall.yaml, seed
 * 002's levels), driven by a clock the test moves; every call is a fresh process on the same
 * store, so each step also survives a restart.
 */
class EscalationTest {

    /** Monday after the 09:00 handoff: bob is on call for primary, carol for leads. */
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final String CHANNEL = "inc-20261123-l2-blocks-stopped";

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    private final FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();

    private String process(Consumer<Firebreak> work) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                work.accept(firebreak);
                firebreak.outbox().deliverDue();
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Consumer<Firebreak> say(String who, String channel, String line) {
        return firebreak -> {
            firebreak.engine().onCommand(new Inbound.Command("console", who, channel, line));
            firebreak.outbox().deliverDue();
        };
    }

    private String sayAndAnswer(String who, String channel, String line) {
        String[] answer = new String[1];
        process(firebreak -> answer[0] = firebreak.engine().onCommand(new Inbound.Command("console", who, channel, line)).message().plainText());
        return answer[0];
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private String timeline() {
        return process(say("alice", CHANNEL, "/incident timeline"));
    }

    @Test
    void a_p0_nobody_acknowledges_escalates_to_level_2_once_after_five_minutes_then_level_3_after_its_own_delay() {
        String declared = process(say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        assertThat(declared).contains("bob is on call for primary (On-call engineer). Acknowledge with /incident ack within 5m; "
                + "otherwise Firebreak calls level 2 (Engineering lead).").contains("@bob");

        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(process(Firebreak::tick)).doesNotContain("escalated");

        clock.advance(Duration.ofSeconds(1));
        String due = process(firebreak -> {
            firebreak.tick();
            firebreak.tick();
        }) + process(Firebreak::tick);
        assertThat(count(due, "escalated to level 2")).isEqualTo(1);
        assertThat(due).contains("Nobody acknowledged INC-1 in 5m: escalated to level 2 (Engineering lead), calling carol. "
                + "/incident ack within 10m, or level 3 (CTO / Technical co-founder) is called.").contains("@carol");

        clock.advance(Duration.ofMinutes(9));
        assertThat(process(Firebreak::tick)).doesNotContain("escalated");
        clock.advance(Duration.ofMinutes(1));
        String third = process(Firebreak::tick) + process(Firebreak::tick);
        assertThat(count(third, "escalated to level 3")).isEqualTo(1);
        assertThat(third).contains("escalated to level 3 (CTO / Technical co-founder), calling alice.");

        String timeline = timeline();
        assertThat(count(timeline, "escalated to level 2")).isEqualTo(1);
        assertThat(count(timeline, "escalated to level 3")).isEqualTo(1);
        assertThat(timeline).contains("paged").contains("escalated");
    }

    @Test
    void an_acknowledgement_stops_escalation_and_only_the_commander_or_someone_called_may_give_it() {
        process(say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        clock.advance(Duration.ofMinutes(3));

        assertThat(sayAndAnswer("mallory", CHANNEL, "/incident ack"))
                .isEqualTo("Only the commander of INC-1 or someone it called (bob) may acknowledge it.");
        assertThat(sayAndAnswer("carol", CHANNEL, "/incident ack")).startsWith("Only the commander of INC-1");
        String acked = process(say("bob", CHANNEL, "/incident ack"));
        assertThat(acked).contains("INC-1 acknowledged by bob after 3m (level 1); escalation stopped.");
        assertThat(sayAndAnswer("alice", CHANNEL, "/incident ack")).isEqualTo("INC-1 was already acknowledged by bob.");

        clock.advance(Duration.ofHours(2));
        assertThat(process(Firebreak::tick)).doesNotContain("escalated");
        assertThat(timeline()).contains("acknowledged by bob").doesNotContain("escalated to level");
    }

    @Test
    void after_a_long_stop_every_level_that_fell_due_is_called_once_in_order_and_a_p1_stops_at_its_last_level() {
        process(say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        clock.advance(Duration.ofMinutes(45));
        String caughtUp = process(Firebreak::tick);
        assertThat(count(caughtUp, "escalated to level 2")).isEqualTo(1);
        assertThat(count(caughtUp, "escalated to level 3")).isEqualTo(1);
        assertThat(count(caughtUp, "escalated to level 4")).isEqualTo(1);
        assertThat(caughtUp.indexOf("level 2")).isLessThan(caughtUp.indexOf("level 3"));
        assertThat(caughtUp).contains("escalated to level 4 (External partners). This is the last level for P0.")
                .contains("OP Labs (core OP Stack issues)").contains("security@auditor.example");
        assertThat(process(Firebreak::tick)).doesNotContain("escalated");

        process(say("alice", "incidents", "/incident declare P1 RPC latency high"));
        clock.advance(Duration.ofHours(3));
        String p1 = process(Firebreak::tick) + process(Firebreak::tick);
        assertThat(count(p1, "escalated to level 2")).isEqualTo(1);
        assertThat(p1).contains("This is the last level for P1.").doesNotContain("level 3");
    }

    @Test
    void a_severity_that_notifies_nobody_has_nothing_to_acknowledge_and_never_escalates() {
        process(say("alice", "incidents", "/incident declare P3 Typo in the docs"));
        assertThat(sayAndAnswer("alice", "inc-20261123-typo-in-the-docs", "/incident ack"))
                .isEqualTo("INC-1 called nobody (P3 notifies no rotation in bot/oncall.yaml), so there is nothing to acknowledge.");
        clock.advance(Duration.ofDays(3));
        assertThat(process(Firebreak::tick)).doesNotContain("escalated");
    }

    @Test
    void the_handoff_names_the_outgoing_and_incoming_person_of_the_boundary_nearest_now_and_what_waits_in_each_incident() {
        process(say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        process(say("alice", CHANNEL, "/action anchor-retry batch-9"));
        process(say("alice", "incidents", "/incident declare --security P1 Signer key leaked"));

        String justAfter = process(say("carol", "incidents", "/incident handoff"));
        assertThat(justAfter).contains("On-call handoff* for primary (On-call engineer): alice hands over to bob at Mon 11-23 09:00 UTC "
                + "(posted by carol)").contains("@alice @bob");
        assertThat(justAfter).contains("- INC-1 [P0] L2 blocks stopped: investigating, commander alice, last update 2026-11-23 10:00 UTC, "
                + "NOT acknowledged (level 1 called)").contains("    - Waiting for approval: A-1 anchor-retry (0/2)");
        assertThat(justAfter).contains("- INC-2 [P1] a security incident").doesNotContain("Signer key")
                .contains("- [ ] Brief incoming engineer bob (15 min call)").contains("- [ ] Test paging system with bob");

        process(say("bob", CHANNEL, "/incident ack"));
        clock.advance(Duration.ofDays(6).plusHours(2));
        String beforeNext = process(say("bob", "incidents", "/incident handoff"));
        assertThat(beforeNext).contains("for primary (On-call engineer): bob hands over to carol at Mon 11-30 09:00 UTC")
                .contains("INC-1 [P0] L2 blocks stopped: investigating, commander alice, last update 2026-11-23 10:00 UTC, acknowledged by bob");
        assertThat(process(say("bob", "incidents", "/incident handoff leads"))).contains("for leads (Engineering lead): bob hands over to carol at Mon 11-23 09:00 UTC");
    }

    @Test
    void an_overdue_update_reminder_mentions_the_communications_lead_or_else_the_commander() {
        process(say("alice", "incidents", "/incident declare P2 Disk 85% on reth"));
        String channel = "inc-20261123-disk-85-on-reth";
        clock.advance(Duration.ofHours(2));
        String first = process(Firebreak::tick);
        assertThat(first).contains("a status update is overdue (P2 updates every 2h; last one 2h ago). alice, please post").contains("@alice");

        process(say("alice", channel, "/incident assign communications carol"));
        clock.advance(Duration.ofHours(2));
        String second = process(Firebreak::tick);
        assertThat(second).contains("carol, please post `/incident update <text>`.").contains("@carol").doesNotContain("@alice");
    }
}
