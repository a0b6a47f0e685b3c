package dev.firebreak.chat.discord;

import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.SanitizedPlatform;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.firebreak.chat.discord.FakeDiscord.INCIDENTS_CHANNEL_ID;
import static org.assertj.core.api.Assertions.assertThat;

/** Messages queued in the durable outbox before a crash reach Discord after the restart, in order, once. */
class DiscordOutboxTest {

    @TempDir
    Path data;
    FakeDiscord discord;

    @BeforeEach
    void start() {
        discord = new FakeDiscord().start();
    }

    @AfterEach
    void stop() {
        discord.close();
    }

    @Test
    void messages_queued_before_a_restart_are_delivered_after_it_in_order_and_once() {
        Path store = data.resolve("store.db");
        try (Database db = Database.open("jdbc:sqlite:" + store)) {
            Outbox before = new Outbox(new JdbcOutboxStore(db), Clock.systemUTC());
            for (int i = 1; i <= 3; i++) {
                before.enqueue("discord", INCIDENTS_CHANNEL_ID, Message.builder().paragraph("queued " + i).build());
            }
            // the process stops here, before any platform was connected
        }

        try (Database db = Database.open("jdbc:sqlite:" + store);
             DiscordAdapter adapter = DiscordAdapter.fromEnvironment(discord.environment(), new CommandCatalog(List.of())).orElseThrow()) {
            Outbox after = new Outbox(new JdbcOutboxStore(db), Clock.systemUTC());
            after.register(SanitizedPlatform.of(adapter.platform()), Duration.ZERO);
            assertThat(after.depth()).isEqualTo(3);
            after.deliverDue();
            after.deliverDue();
            assertThat(discord.messagesIn(INCIDENTS_CHANNEL_ID)).extracting(m -> (Object) m.get("content"))
                    .containsExactly("queued 1", "queued 2", "queued 3");
            assertThat(after.depth()).isZero();
        }
    }

    @Test
    void a_post_whose_answer_was_lost_is_sent_again_with_the_same_nonce_and_appears_once() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"));
             DiscordAdapter adapter = DiscordAdapter.fromEnvironment(discord.environment(), new CommandCatalog(List.of())).orElseThrow()) {
            MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
            Outbox outbox = new Outbox(new JdbcOutboxStore(db), clock);
            outbox.register(SanitizedPlatform.of(adapter.platform()), Duration.ZERO);
            discord.loseAnswers("POST", "channels/" + INCIDENTS_CHANNEL_ID + "/messages", 1);
            long id = outbox.enqueue("discord", INCIDENTS_CHANNEL_ID, Message.builder().paragraph("Approval needed A-4").build());

            for (int round = 0; round < 3 && outbox.depth() > 0; round++) {
                outbox.deliverDue();
                clock.advance(Duration.ofMinutes(1));
            }
            assertThat(outbox.depth()).isZero();

            var creates = discord.calls("POST", "channels/" + INCIDENTS_CHANNEL_ID + "/messages");
            assertThat(creates).as("sent again after the lost answer").hasSizeGreaterThanOrEqualTo(2);
            assertThat(creates).extracting(c -> c.json().path("nonce").asText()).containsOnly("fb" + id + ".0");
            assertThat(creates).allSatisfy(c -> assertThat(c.json().path("enforce_nonce").asBoolean()).isTrue());
            assertThat(discord.messagesIn(INCIDENTS_CHANNEL_ID)).extracting(m -> (Object) m.get("content"))
                    .containsExactly("Approval needed A-4");
            assertThat(outbox.find(id).orElseThrow().platformMessageId())
                    .isEqualTo(discord.messagesIn(INCIDENTS_CHANNEL_ID).getFirst().get("id"));
        }
    }
}
