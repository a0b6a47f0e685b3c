package dev.firebreak.chat;

import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;

import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox's background delivery on a real SQLite store. */
class OutboxDeliveryTest {

    @TempDir
    Path data;

    /**
     * A command often queues several messages in a row; the ones queued while the worker is busy
     * delivering the first must not wait for its safety tick (a lost wake-up).
     */
    @Test
    void a_message_queued_during_a_delivery_round_goes_out_without_waiting_for_the_next_tick() throws Exception {
        CountDownLatch firstPostStarted = new CountDownLatch(1);
        CountDownLatch secondQueued = new CountDownLatch(1);
        List<String> posted = new CopyOnWriteArrayList<>();
        CountDownLatch bothPosted = new CountDownLatch(2);
        ChatPlatform platform = new RecordingPlatform() {
            @Override
            public String post(String channelId, Message message) {
                if (posted.isEmpty()) {
                    firstPostStarted.countDown();
                    await(secondQueued);
                }
                posted.add(channelId);
                bothPosted.countDown();
                return "m" + posted.size();
            }
        };
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("outbox.db"))) {
            // A safety tick far longer than the test: only the wake-up on enqueue can deliver the second message.
            Outbox outbox = new Outbox(new JdbcOutboxStore(db), Clock.systemUTC(), Duration.ofHours(1));
            outbox.register(platform, Duration.ZERO);
            outbox.start();
            try {
                outbox.enqueue("test", "C1", Message.text("first"));
                assertThat(firstPostStarted.await(10, TimeUnit.SECONDS)).isTrue();
                outbox.enqueue("test", "C2", Message.text("second"));
                secondQueued.countDown();
                assertThat(bothPosted.await(10, TimeUnit.SECONDS)).as("the second message posted without waiting for the tick").isTrue();
            } finally {
                outbox.stop();
            }
        }
    }

    @Test
    void icons_survive_the_queue_and_messages_queued_before_icons_existed_still_go_out() {
        Map<String, Message> posted = new ConcurrentHashMap<>();
        ChatPlatform platform = new RecordingPlatform() {
            @Override
            public String post(String channelId, Message message) {
                posted.put(channelId, message);
                return "m" + posted.size();
            }
        };
        Message withIcons = Message.builder().heading(Icon.APPROVAL_NEEDED, "Approval needed A-1")
                .paragraph(Icon.WARNING, "needs 2").table(List.of("check"), List.of(List.of("head")), List.of(Icon.OK)).build();
        String queuedByAnOlderVersion = "{\"blocks\":[{\"type\":\"Heading\",\"text\":\"Balances\"},"
                + "{\"type\":\"Table\",\"headers\":[\"\",\"account\"],\"rows\":[[\":warning:\",\"batcher\"]]}]}";
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("outbox.db"))) {
            JdbcOutboxStore store = new JdbcOutboxStore(db);
            Outbox outbox = new Outbox(store, Clock.systemUTC(), Duration.ofHours(1));
            outbox.register(platform, Duration.ZERO);
            store.add("test", "C1", queuedByAnOlderVersion, false, List.of(), Clock.systemUTC().instant());
            outbox.enqueue("test", "C2", withIcons);
            assertThat(outbox.deliverDue()).isEqualTo(2);
        }
        assertThat(posted.get("C1")).isEqualTo(Message.builder().heading("Balances")
                .table(List.of("", "account"), List.of(List.of(":warning:", "batcher"))).build());
        assertThat(posted.get("C2")).isEqualTo(withIcons);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new AssertionError("the second message was never queued");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private abstract static class RecordingPlatform implements ChatPlatform {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public Channel channelNamed(String name) {
            return new Channel(name, name);
        }

        @Override
        public Channel createChannel(String name, boolean restricted, List<String> memberUserIds) {
            return new Channel(name, name);
        }

        @Override
        public void invite(String channelId, List<String> userIds) {}

        @Override
        public void postPrivately(String channelId, String userId, Message message) {}

        @Override
        public void setTopic(String channelId, String topic) {}

        @Override
        public void pin(String channelId, String messageId) {}

        @Override
        public void react(String channelId, String messageId, String emoji) {}

        @Override
        public List<ReactionSnapshot> reactions(String channelId, String messageId) {
            return List.of();
        }
    }
}
