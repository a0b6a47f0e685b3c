package dev.firebreak.app;

import dev.firebreak.audit.AuditEntry;
import dev.firebreak.chat.slack.LogCapture;
import dev.firebreak.testing.Eventually;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Reply;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.watch.WatchersConfig;
import io.javalin.Javalin;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.schedule.Schedule;
import dev.firebreak.schedule.SchedulesConfig;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scheduled checks on the clock the test moves, through the wiring {@code Main} uses, on the
 * console and a SQLite store that survives "restarts" (each {@link #process} is one bot process).
 * Diagnostics reach a local sequencer stand-in whose metrics are above the warning thresholds.
 */
class ScheduledChecksTest {

    /** Wednesday 2026-12-02, 08:00 in Berlin: an hour before the daily 09:00 slot (08:00 UTC). */
    private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
    private static final Instant NINE_IN_BERLIN = Instant.parse("2026-12-02T08:00:00Z");

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    /** The sequencer's /health and /metrics; its dead-letter queue decides the metrics' status (warn above 0, critical above 100). */
    private volatile int deadLetters = 3;
    /** When set, /health answers only once it is counted down (at most 10 s), after counting down {@link #healthAsked}. */
    private volatile CountDownLatch holdHealth;
    private final CountDownLatch healthAsked = new CountDownLatch(1);
    private final Javalin sequencer = Javalin.create(c -> {
        c.showJavalinBanner = false;
        c.startupWatcherEnabled = false;
    }).get("/health", ctx -> {
                CountDownLatch hold = holdHealth;
                if (hold != null) {
                    healthAsked.countDown();
                    hold.await(10, TimeUnit.SECONDS);
                }
                ctx.json(Map.of("status", "healthy"));
            })
            .get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result("""
                    # TYPE sequencer_dead_letter_events gauge
                    sequencer_dead_letter_events %d
                    """.formatted(deadLetters)))
            .start("127.0.0.1", 0);
    private FirebreakConfig config = withSchedules(List.of(
            schedule("sequencer-daily", false, step("/diag health sequencer"), step("/diag metrics sequencer"),
                    check("Review the error logs for anomalies"), confirm("Run VACUUM ANALYZE on all tables"),
                    step("/action restart mainnet op-node")),
            schedule("sequencer-health", false, step("/diag health sequencer")),
            schedule("sequencer-quiet", true, step("/diag health sequencer"))));

    @AfterEach
    void stopTheSequencer() {
        sequencer.stop();
    }

    // ---- time

    @Test
    void a_daily_schedule_fires_once_per_day_across_a_restart() {
        assertThat(process(Bot::tick)).as("first seen: it starts with the next slot").doesNotContain("sequencer-health");

        clock.advance(Duration.ofMinutes(59));
        assertThat(process(Bot::tick)).doesNotContain("sequencer-health");

        clock.advance(Duration.ofMinutes(1));
        String due = process(bot -> {
            bot.tick();
            bot.tick();
        });
        assertThat(count(due, "sequencer-health (S-")).isEqualTo(1);

        clock.advance(Duration.ofHours(3));
        assertThat(process(Bot::tick)).as("after a restart the same day").doesNotContain("sequencer-health (S-");

        clock.advance(Duration.ofHours(21));
        assertThat(count(process(Bot::tick), "sequencer-health (S-")).as("the next day").isEqualTo(1);
        assertThat(audit("schedule.run").stream().filter(e -> e.subject().equals("schedule:sequencer-health"))).hasSize(2);
    }

    @Test
    void slots_missed_while_down_run_once_at_start_up() {
        process(Bot::tick);
        clock.advance(Duration.ofDays(3).plusHours(2)); // down over the 09:00 slots of Wednesday to Saturday

        String startUp = process(bot -> {
            bot.tick();
            bot.tick();
        });

        assertThat(count(startUp, "sequencer-health (S-")).isEqualTo(1);
        assertThat(audit("schedule.run")).filteredOn(e -> e.subject().equals("schedule:sequencer-health")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("due 2026-12-05 09:00 Europe/Berlin, run once at start-up for it "
                        + "and the 3 slots before it, missed while Firebreak was down"));
        assertThat(process(Bot::tick)).doesNotContain("sequencer-health (S-");
    }

    @Test
    void closing_right_after_starting_waits_for_the_catch_up_so_nothing_meets_a_closed_store() throws Exception {
        process(Bot::tick);
        clock.advance(Duration.ofDays(1)); // down over the next 09:00 slot: start-up catches it up
        holdHealth = new CountDownLatch(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (LogCapture logs = LogCapture.everything()) {
            try (Database db = Database.open(databaseUrl())) {
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
                ConsolePlatform platform = new ConsolePlatform(out, new JdbcOutboxStore(db).countDelivered("console"));
                Firebreak firebreak = Firebreak.assemble(config, db, clock,
                        List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), metrics);
                firebreak.start(Duration.ofHours(1));
                assertThat(healthAsked.await(10, TimeUnit.SECONDS)).as("the catch-up runs a schedule's first check").isTrue();
                // the sequencer answers once the engine is closing, as when ./firebreak demo exits at once
                Thread.ofVirtual().start(() -> {
                    Eventually.until(() -> metrics.get("firebreak.leader").gauge().value() == 0, "the engine closing");
                    holdHealth.countDown();
                });
                firebreak.close(); // then the store, as Main closes them
            }
            assertThat(logs.lines()).as("nothing ran on into the closed store")
                    .noneMatch(line -> line.contains("store was closed") || line.contains("could not run"));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("the run under way finished and its digest was delivered on closing")
                .contains("sequencer-daily (S-1)").doesNotContain("sequencer-health (S-");
        assertThat(audit("schedule.run")).filteredOn(e -> e.subject().equals("schedule:sequencer-daily")).hasSize(1);
        assertThat(audit("schedule.run")).as("no other schedule started once closing began")
                .filteredOn(e -> e.subject().equals("schedule:sequencer-health")).isEmpty();
        assertThat(count(process(Bot::tick), "sequencer-health (S-")).as("left for the next start, as a missed slot").isEqualTo(1);
    }

    @Test
    void nine_in_berlin_stays_nine_when_the_clocks_go_forward() {
        process(Bot::tick);
        clock.advance(Duration.between(T0, Instant.parse("2027-03-27T08:00:00Z"))); // Saturday 09:00 CET
        process(Bot::tick);

        clock.advance(Duration.ofHours(22).plusMinutes(59)); // Sunday 06:59 UTC = 08:59 CEST, after the change at 02:00
        assertThat(process(Bot::tick)).doesNotContain("sequencer-health (S-");
        clock.advance(Duration.ofMinutes(1));
        assertThat(count(process(Bot::tick), "sequencer-health (S-")).isEqualTo(1);
        assertThat(audit("schedule.run")).filteredOn(e -> e.subject().equals("schedule:sequencer-health"))
                .extracting(AuditEntry::detail).last().asString().contains("due 2027-03-28 09:00 Europe/Berlin)");
    }

    // ---- the digest

    @Test
    void one_digest_lists_what_needs_attention_first_then_the_fine_checks_then_what_a_person_must_do() {
        process(Bot::tick);
        clock.advance(Duration.ofHours(1));

        String posted = process(Bot::tick);

        String digest = message(posted, "Scheduled checks sequencer-daily");
        assertThat(digest).contains("Scheduled checks sequencer-daily (S-1): 1 of 2 need attention, 3 items to do");
        assertThat(digest.indexOf("[warn] `/diag metrics sequencer`")).as("the warning first")
                .isPositive().isLessThan(digest.indexOf("[ok] `/diag health sequencer`"));
        assertThat(digest).contains("For Alice (on-call) to do:", "1. Review the error logs for anomalies",
                "2. Run VACUUM ANALYZE on all tables (by hand, never automatic)",
                "3. `/action restart mainnet op-node` (an action: run it yourself when it is right to; it goes through approval)",
                "/schedule done sequencer-daily <n>", "Full output: /schedule show sequencer-daily");
        assertThat(posted).as("a schedule never runs an action").doesNotContain("Approval").doesNotContain("A-1");
        assertThat(count(posted, "Scheduled checks sequencer-daily")).as("one digest for the whole run").isEqualTo(1);

        String shown = process(bot -> bot.say("alice", "ops-alerts", "/schedule show sequencer-daily"));
        assertThat(shown).contains("Last run S-1 (due 2026-12-02 09:00 Europe/Berlin): 1 of 2 need attention, 3 items to do")
                .contains("[WARNING] /diag metrics sequencer").contains("sequencer_dead_letter_events").contains("Checklist: 1 open, 2 open, 3 open");
    }

    @Test
    void all_fine_is_one_line_and_a_quiet_schedule_posts_nothing() {
        process(Bot::tick);
        clock.advance(Duration.ofHours(1));

        String posted = process(Bot::tick);

        assertThat(posted).contains("[ok] sequencer-health (S-").contains("all 1 check fine. Full output: /schedule show sequencer-health");
        assertThat(posted).doesNotContain("sequencer-quiet");
        assertThat(audit("schedule.run")).as("a quiet run is still a run")
                .anySatisfy(e -> assertThat(e.subject()).isEqualTo("schedule:sequencer-quiet"));
    }

    @Test
    void findings_go_to_the_alert_rules_a_warning_is_posted_a_critical_opens_an_incident_and_fine_again_resolves() {
        process(Bot::tick);
        clock.advance(Duration.ofHours(1));

        String warned = process(Bot::tick);
        assertThat(message(warned, "Alert firing: ScheduledCheck")).as("bot/alerts.yaml: warnings are posted")
                .contains("Scheduled check sequencer-daily: /diag metrics sequencer is warning (S-1)")
                .contains("schedule=sequencer-daily").contains("severity=warning");
        assertThat(warned).doesNotContain("INC-1");

        deadLetters = 0;
        clock.advance(Duration.ofDays(1));
        String fine = process(Bot::tick);
        assertThat(message(fine, "Alert resolved: ScheduledCheck")).contains("/diag metrics sequencer");
        clock.advance(Duration.ofDays(1));
        assertThat(process(Bot::tick)).as("fine twice: nothing to resolve").doesNotContain("Alert resolved");

        deadLetters = 500;
        clock.advance(Duration.ofDays(1));
        String critical = process(Bot::tick);
        assertThat(critical).as("bot/alerts.yaml: any other critical alert opens a P1")
                .contains("Alert firing: ScheduledCheck").contains("INC-1 [P1] Scheduled check sequencer-daily: /diag metrics sequencer is critical");
        assertThat(message(critical, "Scheduled checks sequencer-daily")).contains("[CRIT] `/diag metrics sequencer`");
    }

    // ---- the checklist

    @Test
    void an_unticked_checklist_is_reminded_once_to_its_owner() {
        process(Bot::tick);
        clock.advance(Duration.ofHours(1));
        process(Bot::tick);

        clock.advance(Duration.ofHours(4).minusSeconds(1));
        assertThat(process(Bot::tick)).doesNotContain("[reminder]");
        clock.advance(Duration.ofSeconds(1));
        String reminded = process(bot -> {
            bot.tick();
            bot.tick();
        });
        assertThat(count(reminded, "[reminder]")).isEqualTo(1);
        assertThat(message(reminded, "[reminder]")).contains("Alice (on-call): the checklist of sequencer-daily (S-1) has 3 items not ticked off")
                .contains("1. Review the error logs").contains("This is the only reminder.")
                .as("the owner is mentioned, so the reminder notifies them").contains("@alice");
        clock.advance(Duration.ofHours(8));
        assertThat(process(Bot::tick)).doesNotContain("[reminder]");
    }

    @Test
    void the_owner_ticks_off_items_with_a_command_or_all_with_a_reaction_and_a_ticked_checklist_is_not_reminded() {
        process(Bot::tick);
        clock.advance(Duration.ofHours(1));
        String digestRef = ref(process(Bot::tick), "Scheduled checks sequencer-daily");

        String bobs = process(bot -> bot.say("bob", "ops-alerts", "/schedule done sequencer-daily 1"));
        assertThat(bobs).contains("Only alice, who owns sequencer-daily, ticks off its checklist.");
        assertThat(process(bot -> bot.say("alice", "ops-alerts", "/schedule done sequencer-daily 7")))
                .contains("S-1 of sequencer-daily has items 1 to 3, not 7.");
        assertThat(process(bot -> bot.say("alice", "ops-alerts", "/schedule done sequencer-daily first")))
                .contains("'first' is not an item");
        String one = process(bot -> bot.say("alice", "ops-alerts", "/schedule done sequencer-daily 2"));
        assertThat(one).contains("alice ticked off item 2 of sequencer-daily (S-1); 2 still open.");

        process(bot -> bot.react("bob", "ops-alerts", digestRef));
        String reacted = process(bot -> bot.react("alice", "ops-alerts", digestRef));
        assertThat(reacted).contains("alice ticked off 2 items of sequencer-daily (S-1); its checklist is done.");

        clock.advance(Duration.ofHours(5));
        assertThat(process(Bot::tick)).doesNotContain("[reminder]");
        assertThat(audit("schedule.ticked")).hasSize(2);
    }

    @Test
    void a_schedule_owned_by_a_rotation_belongs_to_whoever_is_on_call() {
        config = config.withSchedules(new SchedulesConfig(List.of(new Schedule("rotation-owned", null, null, Map.of(),
                List.of(check("Review the Grafana dashboards")), "daily at 09:00 Europe/Berlin", null, null, null, "primary", false, null))));
        String onCall = config.oncall().rotations().get("primary").shiftAt(NINE_IN_BERLIN).person();
        String offDuty = java.util.stream.Stream.of("alice", "bob", "carol").filter(p -> !p.equals(onCall)).findFirst().orElseThrow();
        process(Bot::tick);
        clock.advance(Duration.ofHours(1));
        assertThat(process(Bot::tick)).contains("Scheduled checks rotation-owned (S-1)");

        assertThat(process(bot -> bot.say(offDuty, "ops-alerts", "/schedule done rotation-owned 1")))
                .contains("Only " + onCall + ", who owns rotation-owned, ticks off its checklist.");
        assertThat(process(bot -> bot.say(onCall, "ops-alerts", "/schedule done rotation-owned 1")))
                .contains(onCall + " ticked off item 1 of rotation-owned (S-1)");
    }

    // ---- commands

    @Test
    void a_paused_schedule_does_not_run_and_resumes_with_its_next_slot() {
        process(Bot::tick);
        assertThat(process(bot -> bot.say("alice", "ops-alerts", "/schedule pause sequencer-health")))
                .contains("alice paused sequencer-health: it does not run until /schedule resume sequencer-health");
        assertThat(process(bot -> bot.say("alice", "ops-alerts", "/schedule pause sequencer-health")))
                .contains("sequencer-health is already paused");
        clock.advance(Duration.ofHours(2));
        assertThat(process(Bot::tick)).doesNotContain("sequencer-health (S-");

        assertThat(process(bot -> bot.say("alice", "ops-alerts", "/schedule resume sequencer-health")))
                .contains("alice resumed sequencer-health; next run 2026-12-03 09:00 Europe/Berlin (the slots it was paused for do not run).");
        assertThat(process(Bot::tick)).doesNotContain("sequencer-health (S-");
        clock.advance(Duration.ofDays(1));
        assertThat(count(process(Bot::tick), "sequencer-health (S-")).isEqualTo(1);
        assertThat(audit("schedule.paused")).hasSize(1);
        assertThat(audit("schedule.resumed")).hasSize(1);
    }

    @Test
    void run_now_list_and_unknown_names() {
        String ran = process(bot -> bot.say("bob", "incidents", "/schedule run sequencer-health"));
        assertThat(ran).contains("Ran sequencer-health (S-1): all 1 check fine; the digest is in #ops-alerts.")
                .contains("[#ops-alerts]");
        assertThat(audit("schedule.run")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("bob");
            assertThat(e.detail()).contains("S-1 (run by bob): all 1 check fine");
        });

        String listed = process(bot -> bot.say("alice", "incidents", "/schedule list"));
        assertThat(listed).contains("sequencer-daily").contains("daily at 09:00 Europe/Berlin").contains("2026-12-02 09:00 Europe/Berlin")
                .contains("S-1: all 1 check fine").contains("not yet");
        assertThat(process(bot -> bot.say("alice", "incidents", "/schedule run sequencer-weekly")))
                .contains("There is no schedule sequencer-weekly; there are sequencer-daily, sequencer-health, sequencer-quiet (/schedule list).");
        assertThat(process(bot -> bot.say("mallory", "incidents", "/schedule run sequencer-health")))
                .contains("/schedule run needs the role responder");
    }

    // ---- the harness

    private String process(Consumer<Bot> work) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Database db = Database.open(databaseUrl())) {
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            ConsolePlatform platform = new ConsolePlatform(out, new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                work.accept(new Bot(firebreak, out));
                firebreak.outbox().deliverDue();
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** One bot process; a command's answer is printed as the console prints it, after {@code [reply]}. */
    private record Bot(Firebreak firebreak, PrintStream out) {
        Reply say(String who, String channel, String text) {
            Reply reply = firebreak.engine().onCommand(new Inbound.Command("console", who, channel, text));
            firebreak.outbox().deliverDue();
            out.println("[reply]\n" + reply.message().plainText());
            return reply;
        }

        void react(String who, String channel, String ref) {
            firebreak.engine().onReaction(new Inbound.Reaction("console", who, channel, ref, "white_check_mark", true));
            firebreak.outbox().deliverDue();
        }

        void tick() {
            firebreak.tick();
        }
    }

    private String databaseUrl() {
        return "jdbc:sqlite:" + data.resolve("firebreak.db");
    }

    private List<AuditEntry> audit(String event) {
        try (Database db = Database.open(databaseUrl())) {
            return new JdbcAuditLog(db, clock).entries().stream().filter(e -> e.event().equals(event)).toList();
        }
    }

    /** The message posted under a {@code [#channel] mN} line that contains {@code text}. */
    private static String message(String output, String text) {
        for (String message : output.split("(?m)^\\[#")) {
            if (message.contains(text)) return message;
        }
        throw new AssertionError("no message containing " + text + " in:\n" + output);
    }

    private static String ref(String output, String text) {
        Matcher m = Pattern.compile("^[^\\]]+\\] (m\\d+)").matcher(message(output, text));
        if (!m.find()) throw new AssertionError("no ref");
        return m.group(1);
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private FirebreakConfig withSchedules(List<Schedule> schedules) {
        FirebreakConfig c = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:" + sequencer.port())).load();
        // these tests count what the schedules post: no first snapshots (posted on their own thread), no watchers
        return c.withSchedules(new SchedulesConfig(schedules)).withSnapshot(SnapshotConfig.none()).withWatchers(WatchersConfig.none());
    }

    private static Schedule schedule(String name, boolean quiet, Runbook.Step... steps) {
        return new Schedule(name, null, null, Map.of(), List.of(steps), "daily at 09:00 Europe/Berlin", null, null, null, "alice",
                quiet, null);
    }

    private static Runbook.Step step(String line) {
        return new Runbook.Step(line, null, null, null, null, null, null);
    }

    private static Runbook.Step check(String text) {
        return new Runbook.Step(null, text, null, null, null, null, null);
    }

    private static Runbook.Step confirm(String text) {
        return new Runbook.Step(null, null, text, null, null, null, null);
    }
}
