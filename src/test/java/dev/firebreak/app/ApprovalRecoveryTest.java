package dev.firebreak.app;

import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.demo.http.DemoSequencerService;
import dev.firebreak.people.Person;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
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
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An approved request that a restart interrupted before it started: it runs after the restart only
 * while it has not expired and its approvals still hold, and the post says a restart came between.
 * The crash is the one between two store writes: the request is APPROVED, its execution not begun.
 */
class ApprovalRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-11-23T20:03:00Z");
    private static final String CHANNEL = "inc-20261123-anchoring-lag";
    private static final String TOKEN = "recovery-token-5e6f7a8b";
    /** The console's fourth message: after the kickoff, the announcement and the on-call notification (this test's incidents take no first snapshot). */
    private static final String APPROVAL_MESSAGE = "m4";

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    private DemoSequencerService sequencer;
    private FirebreakConfig config;

    @BeforeEach
    void start() {
        sequencer = DemoSequencerService.start(TOKEN);
        FirebreakConfig shipped = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", sequencer.url(), "SEQUENCER_API_TOKEN", TOKEN)).load();
        config = shipped.withSnapshot(SnapshotConfig.none());
    }

    @AfterEach
    void stop() {
        sequencer.close();
    }

    /** Runs one bot process on the test's store (started as Main starts it: recovery first) and returns what it posted. */
    private String process(Consumer<Firebreak> work) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                Runnable settle = firebreak.afterEachLine(Duration.ofSeconds(10));
                firebreak.start(Duration.ofHours(1));
                work.accept(firebreak);
                settle.run();
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void say(Firebreak firebreak, String who, String channel, String text) {
        firebreak.engine().onCommand(new Inbound.Command("console", who, channel, text));
        firebreak.outbox().deliverDue();
    }

    /** A-1 requested by alice and approved by bob and carol, stopped after the approval was stored and before it ran. */
    private void approvedThenCrashed() {
        String requested = process(bot -> {
            say(bot, "alice", "incidents", "/incident declare P1 Anchoring lag");
            say(bot, "alice", CHANNEL, "/action anchor-retry batch-77");
            bot.engine().onReaction(new Inbound.Reaction("console", "bob", CHANNEL, APPROVAL_MESSAGE, "white_check_mark", true));
        });
        assertThat(requested).contains("bob approved A-1 (1/2)");
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            db.jdbi().useHandle(h -> {
                h.execute("INSERT INTO approval_votes (request_id, person, user_id, decision, action_hash, at) "
                        + "SELECT id, 'carol', 'carol', 'APPROVE', action_hash, '2026-11-23T20:18:00Z' FROM approval_requests WHERE id = 1");
                h.execute("UPDATE approval_requests SET state = 'APPROVED', decided_at = '2026-11-23T20:18:00Z' WHERE id = 1");
            });
        }
    }

    @Test
    void an_approved_request_that_expired_during_the_restart_does_not_run() {
        approvedThenCrashed();
        clock.advance(Duration.ofMinutes(31));

        String restarted = process(bot -> { });

        assertThat(restarted).contains("A-1 (anchor-retry) was approved at 2026-11-23 20:18 UTC, but Firebreak restarted before "
                + "running it and it expired at 2026-11-23 20:33 UTC. Nothing was run");
        assertThat(sequencer.anchorRequests()).isEmpty();
        String later = process(bot -> say(bot, "alice", CHANNEL, "/incident timeline"));
        assertThat(later).contains("A-1 expired before it ran: a restart came between");
    }

    @Test
    void an_approved_request_that_has_not_expired_runs_after_the_restart_and_says_a_restart_came_between() {
        approvedThenCrashed();
        clock.advance(Duration.ofMinutes(20));

        String restarted = process(bot -> { });

        assertThat(restarted).contains("Firebreak restarted after A-1 was approved at 2026-11-23 20:18 UTC and before it ran. "
                + "Running it now, before it expires at 2026-11-23 20:33 UTC.").contains("A-1 done");
        assertThat(sequencer.anchorRequests()).containsExactly("{\"batch_id\":\"batch-77\"}");
        assertThat(process(bot -> { })).doesNotContain("A-1 done");
        assertThat(sequencer.anchorRequests()).as("it ran once").hasSize(1);
    }

    @Test
    void an_approved_request_whose_approvers_lost_their_role_in_the_restart_does_not_run() {
        approvedThenCrashed();
        config = withoutRole(config, "carol", "approver");

        String restarted = process(bot -> { });

        assertThat(restarted).contains("A-1 (anchor-retry) was approved at 2026-11-23 20:18 UTC, but after a restart its approvals "
                + "no longer hold under bot/firebreak.yaml (1/2). Nothing was run");
        assertThat(sequencer.anchorRequests()).isEmpty();
    }

    private static FirebreakConfig withoutRole(FirebreakConfig config, String person, String role) {
        List<Person> people = config.people().stream().map(p -> !p.key().equals(person) ? p
                : new Person(p.key(), p.name(), p.roles().stream().filter(r -> !r.equals(role)).toList(), p.ids())).toList();
        return config.withPeople(people);
    }
}
