package dev.firebreak.app;

import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Reply;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.diagnostic.SnapshotConfig;
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

/** Update-cadence reminders and approval expiry, driven by a clock the test moves; no sleeping. */
class ClockDrivenTest {

    private static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");
    private static final String CHANNEL = "inc-20261123-l2-blocks-stopped";

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    /** Without a first snapshot: its asynchronous post would move the approval request's message number. */
    private final FirebreakConfig config = new ConfigLoader(Path.of("."),
            Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load().withSnapshot(SnapshotConfig.none());

    /** Runs one bot process on the test's store, as the console does, and returns what it posted. */
    private String process(Consumer<Bot> work) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                work.accept(new Bot(firebreak, platform));
                firebreak.outbox().deliverDue();
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private record Bot(Firebreak firebreak, ConsolePlatform platform) {
        Reply say(String who, String channel, String text) {
            Reply reply = firebreak.engine().onCommand(new Inbound.Command("console", who, channel, text));
            firebreak.outbox().deliverDue();
            return reply;
        }

        void tick() {
            firebreak.tick();
        }
    }

    @Test
    void a_p0_is_reminded_every_15_minutes_without_updates_and_the_clock_survives_a_restart() {
        String declared = process(bot -> bot.say("alice", "incidents", "/incident declare P0 L2 blocks stopped"));
        assertThat(declared).contains("[#" + CHANNEL + "] created");

        clock.advance(Duration.ofMinutes(14).plusSeconds(59));
        assertThat(process(Bot::tick)).doesNotContain("overdue");

        clock.advance(Duration.ofSeconds(1));
        String due = process(bot -> {
            bot.tick();
            bot.tick();
        });
        assertThat(due.split("status update is overdue", -1)).hasSize(2);
        assertThat(due).contains("P0 updates every 15m; last one 15m ago");

        clock.advance(Duration.ofMinutes(5));
        process(bot -> bot.say("alice", CHANNEL, "/incident update Restarted op-node, blocks resuming"));
        clock.advance(Duration.ofMinutes(14));
        assertThat(process(Bot::tick)).doesNotContain("overdue");

        clock.advance(Duration.ofMinutes(1));
        assertThat(process(Bot::tick)).contains("status update is overdue").contains("last one 15m ago");
    }

    @Test
    void an_approval_request_expires_on_time_and_later_reactions_do_not_count() {
        String requested = process(bot -> {
            bot.say("alice", "incidents", "/incident declare P1 L2 blocks stopped");
            bot.say("alice", CHANNEL, "/action anchor-retry batch-9");
        });
        assertThat(requested).contains("Approval needed A-1").contains("(in 30m)");
        String ref = requested.substring(requested.lastIndexOf("] m") + 2).split("\\s")[0];

        clock.advance(Duration.ofMinutes(29));
        assertThat(process(Bot::tick)).doesNotContain("expired");

        clock.advance(Duration.ofMinutes(1));
        assertThat(process(Bot::tick)).contains("A-1 expired without enough approvals. Nothing was run");

        String late = process(bot -> bot.firebreak().engine().onReaction(
                new Inbound.Reaction("console", "bob", CHANNEL, ref, "white_check_mark", true)));
        assertThat(late).contains("A-1 is already expired; your reaction was not counted.");
    }
}
