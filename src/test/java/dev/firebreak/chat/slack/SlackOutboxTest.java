package dev.firebreak.chat.slack;


import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
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
        outbox.register(platform(db), Duration.ZERO);
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
}
