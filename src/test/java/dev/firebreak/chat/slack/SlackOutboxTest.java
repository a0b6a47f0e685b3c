package dev.firebreak.chat.slack;


import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.SanitizedPlatform;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.JdbcDeliveryLog;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The durable outbox in front of the real Slack client: Retry-After, and delivery after a restart. */
class SlackOutboxTest {

    @TempDir
    Path data;
    FakeSlackServer slack;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    ChatPlatform platform(Database db) {
        return SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-outbox-test", "SLACK_APP_TOKEN", "xapp-1-x",
                "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, Clock.systemUTC(), new JdbcDeliveryLog(db, Clock.systemUTC())).orElseThrow().platform();
    }

    Outbox outbox(Database db) {
        Outbox outbox = new Outbox(new JdbcOutboxStore(db), clock);
        // as Firebreak.assemble registers it: behind the outbound cleaning
        outbox.register(SanitizedPlatform.of(platform(db)), Duration.ZERO);
        return outbox;
    }

    @Test
    void a_429_is_retried_after_retry_after_and_posted_once() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            Outbox outbox = outbox(db);
            slack.failNext("chat.postMessage", FakeSlackServer.Failure.rateLimited(30));
            outbox.enqueue("slack", "C0INCIDENTS", Message.builder().paragraph("INC-1 update: mitigating").build());

            outbox.deliverDue();
            assertThat(slack.calls("chat.postMessage")).as("the rate-limited attempt").hasSize(1);
            assertThat(outbox.depth()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(29));
            outbox.deliverDue();
            assertThat(slack.calls("chat.postMessage")).as("nothing before Retry-After").hasSize(1);

            clock.advance(Duration.ofSeconds(1));
            outbox.deliverDue();
            outbox.deliverDue();
            assertThat(slack.calls("chat.postMessage")).hasSize(2);
            assertThat(slack.calls("chat.postMessage").get(1).param("text")).contains("INC-1 update: mitigating");
            assertThat(outbox.depth()).isZero();
        }
    }

    @Test
    void messages_queued_before_a_restart_are_delivered_after_it_in_order_and_once() {
        Path store = data.resolve("store.db");
        try (Database db = Database.open("jdbc:sqlite:" + store)) {
            Outbox before = outbox(db);
            for (int i = 1; i <= 3; i++) {
                before.enqueue("slack", "C0INCIDENTS", Message.builder().paragraph("queued " + i).build());
            }
            // the process stops here, before delivering anything
        }
        assertThat(slack.calls("chat.postMessage")).isEmpty();

        try (Database db = Database.open("jdbc:sqlite:" + store)) {
            Outbox after = outbox(db);
            assertThat(after.depth()).isEqualTo(3);
            after.deliverDue();
            after.deliverDue();
            assertThat(slack.calls("chat.postMessage")).extracting(c -> c.param("text"))
                    .containsExactly("queued 1", "queued 2", "queued 3");
            assertThat(after.depth()).isZero();
        }
    }

    /** A timeline of {@code lines} lines: over Block Kit's limits, so it goes out as a main post and its thread. */
    static Message longTimeline(int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= lines; i++) text.append("event ").append(i).append(" - sequencer restarted, unsafe head moving\n");
        return Message.builder().heading("Timeline INC-7").paragraph(text.toString()).build();
    }

    /** Every part once, in order: the main post first, then its thread replies numbered 1 of n ... n of n. */
    void assertEveryPartOnceInOrder(int parts) {
        List<String> texts = slack.postedTexts("C0INCIDENTS");
        assertThat(texts).hasSize(parts);
        assertThat(texts.getFirst()).contains("Timeline INC-7");
        for (int i = 1; i < parts; i++) assertThat(texts.get(i)).startsWith("Full text, part " + i + " of " + (parts - 1));
        List<String> threads = slack.calls("chat.postMessage").stream().map(c -> c.param("thread_ts"))
                .filter(java.util.Objects::nonNull).distinct().toList();
        assertThat(threads).as("every reply in the one thread of the main post").hasSize(1);
    }

    @Test
    void a_429_on_a_thread_reply_retries_that_reply_only_and_never_reposts_the_main_post() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            Outbox outbox = outbox(db);
            Message timeline = longTimeline(300);
            int parts = platform(db).partCount(timeline);
            assertThat(parts).as("a main post and several thread replies").isGreaterThan(3);
            slack.failAfter("chat.postMessage", 2, FakeSlackServer.Failure.rateLimited(5));
            outbox.enqueue("slack", "C0INCIDENTS", timeline);

            outbox.deliverDue();
            assertThat(slack.postedTexts("C0INCIDENTS")).as("the main post and the first reply").hasSize(2);
            clock.advance(Duration.ofSeconds(5));
            outbox.deliverDue();

            assertEveryPartOnceInOrder(parts);
            assertThat(slack.calls("chat.postMessage")).as("one refused attempt, then each part once").hasSize(parts + 1);
            assertThat(outbox.depth()).isZero();
        }
    }

    @Test
    void a_main_post_whose_answer_was_lost_is_found_by_its_metadata_and_not_posted_again() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            Outbox outbox = outbox(db);
            slack.failNext("chat.postMessage", FakeSlackServer.Failure.answerLost());
            long id = outbox.enqueue("slack", "C0INCIDENTS", Message.builder().paragraph("Approval needed A-3").build());

            outbox.deliverDue();
            assertThat(slack.postedTexts("C0INCIDENTS")).as("Slack posted it; we never heard").hasSize(1);
            assertThat(outbox.depth()).isEqualTo(1);
            clock.advance(Duration.ofMinutes(1));
            outbox.deliverDue();

            assertThat(slack.postedTexts("C0INCIDENTS")).containsExactly("Approval needed A-3");
            assertThat(slack.calls("conversations.history")).singleElement()
                    .satisfies(c -> assertThat(c.param("include_all_metadata")).isIn("1", "true"));
            String ts = slack.postedTs(slack.calls("chat.postMessage").getFirst());
            assertThat(outbox.find(id).orElseThrow().platformMessageId()).as("votes on the one copy count").isEqualTo(ts);
        }
    }

    @Test
    void a_thread_reply_lost_before_a_restart_is_found_after_it_and_the_rest_follow_once() {
        Path store = data.resolve("store.db");
        Message timeline = longTimeline(300);
        int parts;
        try (Database db = Database.open("jdbc:sqlite:" + store)) {
            parts = platform(db).partCount(timeline);
            Outbox before = outbox(db);
            slack.failAfter("chat.postMessage", 2, FakeSlackServer.Failure.answerLost());
            before.enqueue("slack", "C0INCIDENTS", timeline);
            before.deliverDue();
            assertThat(slack.postedTexts("C0INCIDENTS")).hasSize(3);
            // the process stops here
        }
        try (Database db = Database.open("jdbc:sqlite:" + store)) {
            Outbox after = outbox(db);
            clock.advance(Duration.ofMinutes(1));
            after.deliverDue();
            assertEveryPartOnceInOrder(parts);
            assertThat(slack.calls("conversations.replies")).as("only the lost reply was looked up").hasSize(1);
            assertThat(after.depth()).isZero();
        }
    }

    @Test
    void a_rate_limited_channel_does_not_hold_another_channel() {
        slack.addChannel("C0OTHER", "inc-8");
        slack.limitPostsPerChannel(3, Duration.ofSeconds(1), clock);
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            Outbox outbox = outbox(db);
            Message timeline = longTimeline(300);
            int parts = platform(db).partCount(timeline);
            outbox.enqueue("slack", "C0INCIDENTS", timeline);
            outbox.enqueue("slack", "C0OTHER", Message.builder().paragraph("INC-8 declared").build());

            outbox.deliverDue();
            assertThat(slack.postedTexts("C0OTHER")).containsExactly("INC-8 declared");
            assertThat(slack.postedTexts("C0INCIDENTS")).as("the burst").hasSize(3);
            for (int second = 0; second < parts && outbox.depth() > 0; second++) {
                clock.advance(Duration.ofSeconds(1));
                outbox.deliverDue();
            }
            assertEveryPartOnceInOrder(parts);
            assertThat(outbox.depth()).isZero();
        }
    }
}
