package dev.firebreak.chat;

import dev.firebreak.app.MutableClock;
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

    /**
     * A message the platform postponed by 300 ms (Retry-After) is due 300 ms later: the worker
     * sleeps that long and no longer, not until its one-second rescan; pacing likewise.
     */
    @Test
    void a_message_postponed_by_300_ms_is_due_after_300_ms_not_at_the_next_rescan() {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-01T10:00:00Z"));
        List<String> posted = new CopyOnWriteArrayList<>();
        ChatPlatform platform = rateLimitedOnce(Duration.ofMillis(300), new java.util.concurrent.atomic.AtomicBoolean(), posted);
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("outbox.db"))) {
            Outbox outbox = new Outbox(new JdbcOutboxStore(db), clock, Duration.ofSeconds(1));
            outbox.register(platform, Duration.ofMillis(500));
            outbox.enqueue("test", "C1", Message.text("first"));
            outbox.enqueue("test", "C1", Message.text("second"));
            assertThat(outbox.untilNextRound()).as("a message just queued is due at once").isZero();

            assertThat(outbox.deliverDue()).isZero();
            assertThat(outbox.untilNextRound()).as("the worker wakes at the Retry-After").isEqualTo(Duration.ofMillis(300));

            clock.advance(Duration.ofMillis(299));
            assertThat(outbox.deliverDue()).isZero();
            assertThat(outbox.untilNextRound()).isEqualTo(Duration.ofMillis(1));
            clock.advance(Duration.ofMillis(1));
            assertThat(outbox.deliverDue()).as("delivered at 300 ms").isEqualTo(1);
            assertThat(posted).containsExactly("first");
            assertThat(outbox.untilNextRound()).as("the next post waits for the channel's pacing").isEqualTo(Duration.ofMillis(500));

            clock.advance(Duration.ofMillis(500));
            assertThat(outbox.deliverDue()).isEqualTo(1);
            assertThat(posted).containsExactly("first", "second");
            assertThat(outbox.untilNextRound()).as("nothing waits: only the rescan").isEqualTo(Duration.ofSeconds(1));
        }
    }

    /**
     * A round reads a lane's waiting messages a batch at a time: a backlog longer than a batch
     * still goes out whole and in order, at once when unpaced, one per pacing interval when paced.
     */
    @Test
    void a_backlog_longer_than_a_batch_goes_out_whole_and_in_order() {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-01T10:00:00Z"));
        Map<String, List<String>> posted = new ConcurrentHashMap<>();
        ChatPlatform platform = new RecordingPlatform() {
            @Override
            public String post(String channelId, Message message) {
                posted.computeIfAbsent(channelId, c -> new CopyOnWriteArrayList<>()).add(message.plainText());
                return channelId + "-" + posted.get(channelId).size();
            }
        };
        int backlog = 2 * Outbox.BATCH + 3;
        List<String> expected = java.util.stream.IntStream.range(0, backlog).mapToObj(i -> "message " + i).toList();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("outbox.db"))) {
            Outbox unpaced = new Outbox(new JdbcOutboxStore(db), clock, Duration.ofHours(1));
            unpaced.register(platform, Duration.ZERO);
            expected.forEach(text -> unpaced.enqueue("test", "C1", Message.text(text)));
            assertThat(unpaced.deliverDue()).isEqualTo(backlog);
            assertThat(posted.get("C1")).containsExactlyElementsOf(expected);

            Outbox paced = new Outbox(new JdbcOutboxStore(db), clock, Duration.ofHours(1));
            paced.register(platform, Duration.ofMillis(500));
            expected.forEach(text -> paced.enqueue("test", "C2", Message.text(text)));
            for (int i = 0; i < backlog; i++) {
                assertThat(paced.deliverDue()).as("one per pacing interval").isEqualTo(1);
                clock.advance(Duration.ofMillis(500));
            }
            assertThat(paced.deliverDue()).isZero();
            assertThat(posted.get("C2")).containsExactlyElementsOf(expected);
            assertThat(paced.depth()).isZero();
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

    @Test
    void an_edit_follows_its_message_survives_a_restart_and_of_edits_queued_together_only_the_last_is_sent() {
        List<String> calls = new CopyOnWriteArrayList<>();
        ChatPlatform platform = new RecordingPlatform() {
            @Override
            public String post(String channelId, Message message) {
                calls.add("post " + message.plainText());
                return "m" + calls.size();
            }

            @Override
            public void edit(String channelId, String messageId, Message message) {
                calls.add("edit " + messageId + " " + message.plainText());
            }
        };
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("outbox.db"))) {
            Outbox before = new Outbox(new JdbcOutboxStore(db), Clock.systemUTC(), Duration.ofHours(1));
            long original = before.enqueue("test", "C1", Message.text("1 alert firing"));
            before.enqueueEdit(original, Message.text("2 alerts firing"));
            before.enqueueEdit(original, Message.text("3 alerts firing"));

            // queued before a restart, delivered after it
            Outbox after = new Outbox(new JdbcOutboxStore(db), Clock.systemUTC(), Duration.ofHours(1));
            after.register(platform, Duration.ZERO);
            assertThat(after.deliverDue()).isEqualTo(3);
            assertThat(calls).containsExactly("post 1 alert firing", "edit m1 3 alerts firing");
            assertThat(after.depth()).isZero();

            after.enqueueEdit(original, Message.text("all resolved"));
            after.deliverDue();
            assertThat(calls).containsExactly("post 1 alert firing", "edit m1 3 alerts firing", "edit m1 all resolved");
            assertThat(new JdbcOutboxStore(db).countDelivered("test")).as("edits are not new messages").isEqualTo(1);
        }
    }

    /**
     * The rescan reads only what was queued since it last looked, so what another replica queues
     * (here a second outbox on the store that posts nothing, as a replica that does not lead) must
     * still go out: before the leader's first look, long after it began, in a lane the leader has
     * delivered already and in a new one; and nothing twice.
     */
    @Test
    void what_another_replica_queues_is_delivered_by_the_rescan_also_long_after_it_began_and_nothing_twice() {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-01T10:00:00Z"));
        List<String> posted = new CopyOnWriteArrayList<>();
        ChatPlatform platform = new RecordingPlatform() {
            @Override
            public String post(String channelId, Message message) {
                posted.add(channelId + " " + message.plainText());
                return "m" + posted.size();
            }
        };
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("outbox.db"))) {
            Outbox leader = new Outbox(new JdbcOutboxStore(db), clock, Duration.ofSeconds(1));
            leader.register(platform, Duration.ZERO);
            Outbox otherReplica = new Outbox(new JdbcOutboxStore(db), clock, Duration.ofSeconds(1));
            otherReplica.enqueue("test", "C1", Message.text("queued before the leader looked"));
            assertThat(leader.deliverDue()).isEqualTo(1);
            for (int rescan = 0; rescan < 5; rescan++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(leader.deliverDue()).isZero();
            }

            otherReplica.enqueue("test", "C1", Message.text("in a lane delivered before"));
            otherReplica.enqueue("test", "C2", Message.text("in a new lane"));
            leader.enqueue("test", "C3", Message.text("queued by the leader"));
            clock.advance(Duration.ofSeconds(1));
            assertThat(leader.deliverDue()).isEqualTo(3);
            for (int rescan = 0; rescan < 5; rescan++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(leader.deliverDue()).as("nothing is delivered twice").isZero();
            }
            assertThat(posted).containsExactlyInAnyOrder("C1 queued before the leader looked", "C1 in a lane delivered before",
                    "C2 in a new lane", "C3 queued by the leader");
            assertThat(leader.depth()).isZero();
        }
    }

    /**
     * A message the platform holds back for a minute is not read again by the rescans meanwhile
     * (they read only what is new): its lane stays due and it goes out at the minute, after a
     * restart as well.
     */
    @Test
    void a_message_held_back_for_a_minute_goes_out_at_the_minute_though_sixty_rescans_passed_and_after_a_restart() {
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-03-01T10:00:00Z"));
        List<String> posted = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean refusedOnce = new java.util.concurrent.atomic.AtomicBoolean();
        ChatPlatform platform = rateLimitedOnce(Duration.ofMinutes(1), refusedOnce, posted);
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("outbox.db"))) {
            Outbox outbox = new Outbox(new JdbcOutboxStore(db), clock, Duration.ofSeconds(1));
            outbox.register(platform, Duration.ZERO);
            outbox.enqueue("test", "C1", Message.text("held back"));
            assertThat(outbox.deliverDue()).isZero();
            for (int rescan = 1; rescan < 60; rescan++) {
                clock.advance(Duration.ofSeconds(1));
                assertThat(outbox.deliverDue()).isZero();
            }
            clock.advance(Duration.ofSeconds(1));
            assertThat(outbox.deliverDue()).as("at the minute").isEqualTo(1);
            assertThat(posted).containsExactly("held back");

            refusedOnce.set(false);
            outbox.enqueue("test", "C1", Message.text("held back, then restarted"));
            assertThat(outbox.deliverDue()).isZero();
            Outbox restarted = new Outbox(new JdbcOutboxStore(db), clock, Duration.ofSeconds(1));
            restarted.register(platform, Duration.ZERO);
            assertThat(restarted.deliverDue()).as("still held back after the restart").isZero();
            clock.advance(Duration.ofMinutes(1));
            assertThat(restarted.deliverDue()).isEqualTo(1);
            assertThat(posted).containsExactly("held back", "held back, then restarted");
        }
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
        public Channel createChannel(String name, boolean restricted) {
            return new Channel(name, name);
        }

        @Override
        public void invite(String channelId, List<String> userIds) {}

        @Override
        public void edit(String channelId, String messageId, Message message) {}

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

    /**
     * A platform that answers a post with a 429 asking to wait {@code retryAfter} while
     * {@code refusedOnce} is false (setting it), and otherwise posts (into {@code posted}).
     */
    private static ChatPlatform rateLimitedOnce(Duration retryAfter, java.util.concurrent.atomic.AtomicBoolean refusedOnce, List<String> posted) {
        return new RecordingPlatform() {
            @Override
            public String post(String channelId, Message message) {
                if (refusedOnce.compareAndSet(false, true)) throw ChatException.rateLimited(retryAfter);
                posted.add(message.plainText());
                return "m" + posted.size();
            }
        };
    }
}
