package dev.firebreak.app;

import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Reply;
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
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /oncall} and {@code /oncall override} on the repository's bot/oncall.yaml, with a clock the test moves. */
class OnCallTest {

    /** Monday 2026-11-23, a minute before the weekly 09:00 UTC handoff: shift 45 of primary (alice), bob next. */
    private static final Instant BEFORE_HANDOFF = Instant.parse("2026-11-23T08:59:00Z");

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(BEFORE_HANDOFF);
    private final FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();

    /** One process on the test's store; a restart between calls keeps what the store holds. */
    private <T> T process(Function<Firebreak, T> work) {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                return work.apply(firebreak);
            }
        }
    }

    private String say(String who, String line) {
        return process(firebreak -> text(firebreak.engine().onCommand(new Inbound.Command("console", who, "incidents", line))));
    }

    private static String text(Reply reply) {
        return reply.message().plainText();
    }

    @Test
    void oncall_shows_who_is_on_call_now_and_next_for_each_rotation_and_hands_over_at_the_boundary() {
        String before = say("mallory", "/oncall");
        assertThat(before).contains("On call now")
                .containsPattern("primary \\(On-call engineer\\)\\s+alice\\s+Mon 11-23 09:00 UTC\\s+bob")
                .containsPattern("leads \\(Engineering lead\\)\\s+bob\\s+Mon 11-23 09:00 UTC\\s+carol");

        clock.advance(Duration.ofMinutes(1));
        assertThat(say("mallory", "/oncall")).containsPattern("primary \\(On-call engineer\\)\\s+bob\\s+Mon 11-30 09:00 UTC\\s+carol");
    }

    @Test
    void the_person_themselves_or_a_commander_may_override_and_the_override_ends_on_time_after_a_restart() {
        assertThat(say("mallory", "/oncall override @bob 4h"))
                .isEqualTo("Only a commander or bob may put bob on call; ask bob to run it, or a commander.");
        assertThat(say("mallory", "/oncall")).containsPattern("primary \\(On-call engineer\\)\\s+alice\\s");

        assertThat(say("bob", "/oncall override @bob 4h"))
                .isEqualTo("bob is on call for primary until Mon 11-23 12:59 UTC (override by bob; covering alice).");
        assertThat(say("mallory", "/oncall")).containsPattern("primary \\(On-call engineer\\)\\s+bob \\(override by bob\\)\\s+Mon 11-23 12:59 UTC\\s+bob");

        assertThat(say("alice", "/oncall override carol 2h leads")).isEqualTo(
                "carol is on call for leads until Mon 11-23 10:59 UTC (override by alice; covering bob).");

        clock.advance(Duration.ofHours(4));
        assertThat(say("mallory", "/oncall")).containsPattern("primary \\(On-call engineer\\)\\s+bob\\s+Mon 11-30 09:00 UTC\\s+carol");
    }

    @Test
    void a_bad_override_says_what_was_wrong_and_changes_nothing() {
        assertThat(say("alice", "/oncall override @dave 4h")).startsWith("Unknown person @dave; use one of alice, bob, carol, mallory.");
        assertThat(say("alice", "/oncall override @bob four")).contains("DURATION 'four' is not a duration");
        assertThat(say("alice", "/oncall override @bob 30d")).contains("An override lasts from 1m to 14d");
        assertThat(say("alice", "/oncall override @bob 4h nightly")).isEqualTo("Unknown rotation nightly; use one of primary, leads.");
        assertThat(say("alice", "/oncall override")).contains("Say who covers and for how long.");
        assertThat(say("alice", "/oncall bob")).contains("ACTION must be one of show, override");
        assertThat(say("mallory", "/oncall")).containsPattern("primary \\(On-call engineer\\)\\s+alice\\s");
    }
}
