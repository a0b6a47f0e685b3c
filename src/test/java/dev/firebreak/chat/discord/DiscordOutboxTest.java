package dev.firebreak.chat.discord;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
            after.register(adapter.platform(), Duration.ZERO);
            assertThat(after.depth()).isEqualTo(3);
            after.deliverDue();
            after.deliverDue();
            assertThat(discord.messagesIn(INCIDENTS_CHANNEL_ID)).extracting(m -> (Object) m.get("content"))
                    .containsExactly("queued 1", "queued 2", "queued 3");
            assertThat(after.depth()).isZero();
        }
    }
}
