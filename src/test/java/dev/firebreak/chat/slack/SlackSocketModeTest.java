package dev.firebreak.chat.slack;


import dev.firebreak.testing.Eventually;
import dev.firebreak.chat.RecordingListener;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.chat.Reply;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Bolt app over Socket Mode, connected to a local WebSocket server speaking Slack's frames. */
class SlackSocketModeTest {

    static final String BOT_TOKEN = "xoxb-3333-4444-SOCKETBOTTOKEN";
    static final String APP_TOKEN = "xapp-1-A0FIRE-5555-SECRETAPPTOKEN";
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path data;
    FakeSlackServer slack;
    Database store;
    SlackAdapter adapter;
    RecordingListener listener;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        store = TestDatabases.sqliteIn(data);
        slack.setReactions("C0OPS", "1700000000.000042", Map.of("white_check_mark", List.of("U1ALICE")));
        listener = new RecordingListener();
        listener.pending.add(new RecordingListener.PendingMessage("C0OPS", "1700000000.000042"));
        adapter = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_APP_TOKEN", APP_TOKEN,
                "SLACK_SIGNING_SECRET", "also-set-but-socket-mode-wins", "SLACK_API_URL", slack.apiUrl()),
                SlackPayloads.COMMANDS, Clock.systemUTC(), new JdbcDeliveryLog(store, Clock.systemUTC())).orElseThrow();
        listener.platform = adapter.platform();
        adapter.start(listener);
        slack.awaitSocketConnections(1, WAIT);
    }

    @AfterEach
    void stop() {
        adapter.close();
        slack.close();
        store.close();
    }

    @Test
    void connecting_uses_the_app_token_and_reads_back_pending_approvals() {
        assertThat(adapter.mode()).isEqualTo(SlackCredentials.Mode.SOCKET);
        assertThat(adapter.httpEndpoint()).isEmpty();
        FakeSlackServer.Call open = slack.calls("apps.connections.open").getFirst();
        assertThat(open.headers().get("authorization")).isEqualTo("Bearer " + APP_TOKEN);

        Eventually.until(() -> !listener.reconciliations.isEmpty(), WAIT, "for the reconciliation after hello");
        assertThat(listener.reconciliations.getFirst()).isEqualTo(new RecordingListener.Reconciliation("slack",
                "C0OPS", "1700000000.000042",
                List.of(new ChatPlatform.ReactionSnapshot("white_check_mark", List.of("U1ALICE")))));
        Eventually.until(adapter::connected, WAIT, "for the adapter to report connected");
    }

    @Test
    void a_slash_command_envelope_is_acked_before_the_slow_command_finishes() {
        CountDownLatch release = new CountDownLatch(1);
        listener.answering(c -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.privately("declared");
        });

        String envelope = slack.sendEnvelope("slash_commands", commandPayload("/incident", "declare P0 L2 blocks stopped", "11.22.33"));

        Eventually.until(() -> !slack.acksFor(envelope).isEmpty(), WAIT, "for the ack");
        Eventually.until(() -> !listener.commands.isEmpty(), WAIT, "for the command");
        assertThat(listener.commands).containsExactly(
                new Inbound.Command("slack", "U1ALICE", "C0OPS", "/incident declare P0 L2 blocks stopped"));
        release.countDown();
        FakeSlackServer.Call reply = slack.awaitCalls("response_url", 1, WAIT).getFirst();
        assertThat(reply.body()).contains("\"response_type\":\"ephemeral\"").contains("declared");
    }

    @Test
    void a_slash_command_from_another_workspace_is_refused_in_its_ack() {
        String envelope = slack.sendEnvelope("slash_commands", commandPayload("/incident", "declare P0 from elsewhere", "44.55.66")
                .replace("\"team_id\":\"" + FakeSlackServer.TEAM_ID + "\"", "\"team_id\":\"T0OTHER\""));

        Eventually.until(() -> !slack.acksFor(envelope).isEmpty(), WAIT, "for the ack");
        assertThat(slack.acksFor(envelope).getFirst()).contains("ephemeral").contains("Firebreak is not available from this workspace");
        String control = slack.sendEnvelope("slash_commands", commandPayload("/help", "", "44.55.67"));
        Eventually.until(() -> !slack.acksFor(control).isEmpty() && !listener.commands.isEmpty(), WAIT, "for the control command");
        assertThat(listener.commands).extracting(Inbound.Command::text).containsExactly("/help");
    }

    @Test
    void a_repeated_envelope_is_acked_again_but_runs_once() {
        String payload = SlackPayloads.reactionEvent("EvS1", FakeSlackServer.TEAM_ID, "U1ALICE", "white_check_mark", "reaction_added");
        String envelope = slack.sendEnvelope("events_api", payload);
        slack.sendEnvelope("events_api", payload, envelope);
        // Same event under a new envelope id (Slack's retry): still once.
        slack.sendEnvelope("events_api", payload);
        String other = slack.sendEnvelope("events_api",
                SlackPayloads.reactionEvent("EvS2", FakeSlackServer.TEAM_ID, "U2BOB", "white_check_mark", "reaction_added"));

        Eventually.until(() -> slack.acksFor(envelope).size() == 2 && !slack.acksFor(other).isEmpty(), WAIT, "for the acks");
        Eventually.until(() -> listener.reactions.size() >= 2, WAIT, "for the reactions");
        assertThat(listener.reactions).extracting(Inbound.Reaction::userId).containsExactly("U1ALICE", "U2BOB");
    }

    @Test
    void after_a_reconnect_reactions_given_meanwhile_are_read_back() {
        Eventually.until(() -> listener.reconciliations.size() == 1, WAIT, "for the first reconciliation");
        slack.setReactions("C0OPS", "1700000000.000042",
                Map.of("white_check_mark", List.of("U1ALICE", "U2BOB"), "x", List.of("U3CAROL")));

        slack.requestReconnect();

        slack.awaitSocketConnections(2, WAIT);
        Eventually.until(() -> listener.reconciliations.size() >= 2, WAIT, "for the reconciliation after reconnecting");
        assertThat(listener.reconciliations.get(1).reactions()).containsExactlyInAnyOrder(
                new ChatPlatform.ReactionSnapshot("white_check_mark", List.of("U1ALICE", "U2BOB")),
                new ChatPlatform.ReactionSnapshot("x", List.of("U3CAROL")));
        assertThat(slack.calls("apps.connections.open")).hasSize(2);

        // Still working on the new connection.
        slack.sendEnvelope("slash_commands", commandPayload("/help", "", "44.55.66"));
        Eventually.until(() -> !listener.commands.isEmpty(), WAIT, "for a command on the new connection");
    }

    String commandPayload(String command, String text, String triggerId) {
        return SlackPayloads.slashCommandJson(command, text, "U1ALICE", "C0OPS", triggerId, slack.responseUrl(triggerId));
    }
}
