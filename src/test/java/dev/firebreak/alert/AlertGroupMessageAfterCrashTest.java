package dev.firebreak.alert;

import dev.firebreak.app.CommandCatalogs;
import dev.firebreak.app.Firebreak;
import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.store.Database;
import dev.firebreak.watch.WatchersConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An alert group keeps its one message in #ops-alerts across a crash: the real engine on SQLite,
 * Slack through the real SDK against the fake Web API, which takes the post and loses its answer;
 * the process then stops (its store is closed) before it learnt the message's ts, and the next
 * process edits that message when the group changes instead of posting a second one.
 */
class AlertGroupMessageAfterCrashTest {

    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");
    static final String GROUP = "{}:{alertname=\"DiskFilling\"}";

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);
    private FakeSlackServer slack;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    /** One process of Firebreak on the store file; closing both is the process stopping. */
    private record Process(Database db, Firebreak firebreak) implements AutoCloseable {
        int send(String body) {
            return firebreak.webhooks(Map.of()).get(AlertmanagerWebhook.PATH)
                    .handle(new WebhookRequest(body.getBytes(StandardCharsets.UTF_8), Map.of())).status();
        }

        @Override
        public void close() {
            firebreak.close();
            db.close();
        }
    }

    private Process process() {
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load()
                .withSnapshot(SnapshotConfig.none()).withWatchers(WatchersConfig.none());
        Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        ChatPlatform platform = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-crash-test",
                "SLACK_APP_TOKEN", "xapp-1-crash", "SLACK_API_URL", slack.apiUrl()), CommandCatalogs.of(config.commands()),
                Clock.systemUTC(), (p, key) -> true).orElseThrow().platform();
        return new Process(db, Firebreak.assemble(config, db, clock, List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)),
                new SimpleMeterRegistry()));
    }

    @Test
    void a_group_whose_post_was_taken_but_never_answered_before_a_crash_is_edited_by_the_next_process_not_posted_again() {
        try (Process before = process()) {
            slack.failNext("chat.postMessage", FakeSlackServer.Failure.answerLost());
            assertThat(before.send(Payloads.notification(GROUP, "firing",
                    Payloads.alert("d1", "firing", "DiskFilling", "warning", "disk of sequencer-db-0 is 91% full")))).isEqualTo(200);
            before.firebreak().outbox().deliverDue();
            assertThat(slack.postedTexts("C0ALERTS")).as("Slack took the post; Firebreak never heard its ts").hasSize(1);
            // the process stops here
        }
        clock.advance(Duration.ofMinutes(2));
        try (Process after = process()) {
            assertThat(after.send(Payloads.notification(GROUP, "firing",
                    Payloads.alert("d1", "firing", "DiskFilling", "warning", "disk of sequencer-db-0 is 91% full"),
                    Payloads.alert("d2", "firing", "DiskFilling", "warning", "disk of sequencer-db-1 is 93% full")))).isEqualTo(200);
            after.firebreak().outbox().deliverDue();

            assertThat(slack.calls("chat.postMessage")).as("the lost post was found by its metadata, not sent again")
                    .filteredOn(c -> "C0ALERTS".equals(c.param("channel"))).hasSize(1);
            assertThat(slack.postedTexts("C0ALERTS")).singleElement().satisfies(text ->
                    assertThat(text).contains("sequencer-db-0").contains("sequencer-db-1"));
            String ts = slack.postedTs(slack.calls("chat.postMessage").stream()
                    .filter(c -> "C0ALERTS".equals(c.param("channel"))).findFirst().orElseThrow());
            assertThat(slack.calls("chat.update")).singleElement().satisfies(update -> assertThat(update.param("ts")).isEqualTo(ts));

            clock.advance(Duration.ofMinutes(2));
            after.send(Payloads.notification(GROUP, "resolved",
                    Payloads.alert("d1", "resolved", "DiskFilling", "warning", "disk of sequencer-db-0 is 91% full"),
                    Payloads.alert("d2", "resolved", "DiskFilling", "warning", "disk of sequencer-db-1 is 93% full")));
            after.firebreak().outbox().deliverDue();
            assertThat(slack.postedTexts("C0ALERTS")).singleElement().satisfies(text ->
                    assertThat(text).contains("The whole group is resolved"));
        }
    }

    @Test
    void two_groups_keep_a_message_each_and_a_group_raised_again_after_a_restart_edits_its_own() {
        try (Process before = process()) {
            before.send(Payloads.notification(GROUP, "firing",
                    Payloads.alert("d1", "firing", "DiskFilling", "warning", "disk of sequencer-db-0 is 91% full")));
            before.send(Payloads.notification("{}:{alertname=\"QueueDeep\"}", "firing",
                    Payloads.alert("q1", "firing", "QueueDeep", "warning", "ingest queue holds 12000 events")));
            before.firebreak().outbox().deliverDue();
        }
        try (Process after = process()) {
            after.send(Payloads.notification(GROUP, "resolved",
                    Payloads.alert("d1", "resolved", "DiskFilling", "warning", "disk of sequencer-db-0 is 91% full")));
            after.firebreak().outbox().deliverDue();
        }
        assertThat(slack.postedTexts("C0ALERTS")).hasSize(2);
        assertThat(slack.postedTexts("C0ALERTS").getFirst()).contains("The whole group is resolved").contains("sequencer-db-0");
        assertThat(slack.postedTexts("C0ALERTS").getLast()).contains("ingest queue").doesNotContain("resolved");
    }
}
