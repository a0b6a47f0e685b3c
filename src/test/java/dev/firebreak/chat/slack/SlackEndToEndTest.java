package dev.firebreak.chat.slack;

import dev.firebreak.testing.Eventually;
import com.sun.net.httpserver.HttpServer;
import dev.firebreak.app.Firebreak;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real engine, store and configuration in this repository behind the Slack adapter in Socket
 * Mode, against the fake Slack: declare an incident, request a gated action in its channel, and
 * approve it with reactions from two people.
 */
class SlackEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    HttpServer sequencer;
    final List<String> anchorPosts = new CopyOnWriteArrayList<>();
    FakeSlackServer slack;
    Database db;
    Firebreak firebreak;
    SlackAdapter adapter;

    @BeforeEach
    void start() throws Exception {
        sequencer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sequencer.createContext("/health", exchange -> {
            byte[] body = "{\"status\": \"healthy\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sequencer.createContext("/api/v1/ves/anchor", exchange -> {
            anchorPosts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        sequencer.start();

        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of(
                "SEQUENCER_URL", "http://127.0.0.1:" + sequencer.getAddress().getPort(),
                "SEQUENCER_API_TOKEN", "sequencer-token")).load();
        db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        adapter = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-e2e", "SLACK_APP_TOKEN", "xapp-e2e",
                "SLACK_API_URL", slack.apiUrl()), Clock.systemUTC()).orElseThrow();
        firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                List.of(new Firebreak.PlatformConnection(adapter.platform(), Duration.ZERO)), new SimpleMeterRegistry());
        firebreak.start(Duration.ofSeconds(1));
        adapter.start(firebreak.engine());
        slack.awaitSocketConnections(1, WAIT);
    }

    @AfterEach
    void stop() {
        adapter.close();
        firebreak.close();
        db.close();
        slack.close();
        sequencer.stop(0);
    }

    void command(String user, String channel, String command, String text, String triggerId) {
        slack.sendEnvelope("slash_commands",
                SlackPayloads.slashCommandJson(command, text, user, channel, triggerId, slack.responseUrl(triggerId)));
    }

    @Test
    void an_incident_is_declared_and_a_gated_action_runs_once_after_two_approvals() {
        command("U0ALICE", "C0INCIDENTS", "/incident", "declare P1 Anchoring lag", "e2e.1");

        FakeSlackServer.Call created = slack.awaitCalls("conversations.create", 1, WAIT).getFirst();
        assertThat(created.param("name")).startsWith("inc-").endsWith("anchoring-lag");
        Eventually.until(() -> slack.calls("pins.add").size() == 1, WAIT, "for the pinned kickoff message");
        String channel = slack.calls("pins.add").getFirst().param("channel");
        assertThat(slack.calls("conversations.setTopic").getFirst().param("channel")).isEqualTo(channel);

        command("U0ALICE", channel, "/action", "anchor-retry batch-42", "e2e.2");
        Eventually.until(() -> slack.calls("chat.postMessage").stream().anyMatch(c -> c.param("text").contains("Approval needed")), WAIT, "for the approval request");
        FakeSlackServer.Call request = slack.calls("chat.postMessage").stream()
                .filter(c -> c.param("text").contains("Approval needed")).findFirst().orElseThrow();
        String ts = slack.postedTs(request);
        assertThat(ts).isNotNull();
        Eventually.until(() -> slack.calls("reactions.add").size() >= 2, WAIT, "for the bot's approve and reject emoji");

        react("Ev-e2e-1", "U0MALLORY", channel, ts);
        react("Ev-e2e-2", "U0BOB", channel, ts);
        react("Ev-e2e-3", "U0CAROL", channel, ts);
        react("Ev-e2e-3", "U0CAROL", channel, ts); // Slack's retry of the same event

        Eventually.until(() -> !anchorPosts.isEmpty(), WAIT, "for the approved action to run");
        Eventually.until(() -> texts("chat.postMessage").stream().anyMatch(t -> t.contains("A-1 done")), WAIT, "for the result");
        assertThat(anchorPosts).containsExactly("{\"batch_id\":\"batch-42\"}");
        assertThat(texts("chat.postMessage")).filteredOn(t -> t.contains("approved by")).singleElement().asString()
                .contains("bob, carol");
        assertThat(texts("chat.postEphemeral")).anyMatch(t -> t.contains("needs role approver"));
        assertThat(texts("response_url")).anyMatch(t -> t.contains("Declared INC-1"));
    }

    @Test
    void approvals_given_while_the_bot_was_away_count_after_it_reconnects() {
        command("U0ALICE", "C0INCIDENTS", "/incident", "declare P0 L2 blocks stopped", "away.1");
        Eventually.until(() -> slack.calls("pins.add").size() == 1, WAIT, "for the pinned kickoff message");
        String channel = slack.calls("pins.add").getFirst().param("channel");
        command("U0ALICE", channel, "/action", "anchor-retry batch-7", "away.2");
        Eventually.until(() -> slack.calls("reactions.add").size() >= 2, WAIT, "for the approval request's emoji");
        String ts = slack.calls("reactions.add").getFirst().param("timestamp");

        adapter.close();
        // While disconnected: bob and carol approve; the bot's own emoji stay on the message.
        slack.setReactions(channel, ts, Map.of(
                "white_check_mark", List.of(FakeSlackServer.BOT_USER_ID, "U0BOB", "U0CAROL"),
                "x", List.of(FakeSlackServer.BOT_USER_ID)));

        adapter = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-e2e", "SLACK_APP_TOKEN", "xapp-e2e",
                "SLACK_API_URL", slack.apiUrl()), Clock.systemUTC()).orElseThrow();
        adapter.start(firebreak.engine());

        Eventually.until(() -> !anchorPosts.isEmpty(), WAIT, "for the action approved while away to run");
        assertThat(slack.calls("reactions.get")).isNotEmpty();
        assertThat(anchorPosts).containsExactly("{\"batch_id\":\"batch-7\"}");
    }

    List<String> texts(String method) {
        return slack.calls(method).stream().map(c -> String.valueOf(c.param("text"))).toList();
    }

    void react(String eventId, String user, String channel, String ts) {
        slack.sendEnvelope("events_api",
                SlackPayloads.reactionEvent(eventId, FakeSlackServer.TEAM_ID, user, "white_check_mark", "reaction_added", channel, ts));
    }
}
