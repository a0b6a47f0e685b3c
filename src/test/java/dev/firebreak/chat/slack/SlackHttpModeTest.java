package dev.firebreak.chat.slack;


import dev.firebreak.testing.Eventually;
import dev.firebreak.chat.RecordingListener;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.chat.Reply;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.TestDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Bolt app in HTTP mode behind the operations server, sent requests signed as Slack signs them. */
class SlackHttpModeTest {

    static final String SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String BOT_TOKEN = "xoxb-1111-2222-SECRETBOTTOKEN";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path data;
    FakeSlackServer slack;
    Database store;
    SlackAdapter adapter;
    OperationsServer server;
    RecordingListener listener;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        store = TestDatabases.sqliteIn(data);
        listener = new RecordingListener();
        startAdapter(listener);
    }

    void startAdapter(InboundListener inbound) {
        adapter = SlackAdapter.fromEnvironment(environment(), SlackPayloads.COMMANDS, clock, new JdbcDeliveryLog(store, clock)).orElseThrow();
        if (inbound instanceof RecordingListener recording) recording.platform = adapter.platform();
        adapter.start(inbound);
        server = new OperationsServer(0, () -> new Readiness(Map.of("slack", adapter.connected())),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Map.of("/slack/events", adapter.httpEndpoint().orElseThrow())).start();
    }

    Map<String, String> environment() {
        return Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "SLACK_API_URL", slack.apiUrl());
    }

    @AfterEach
    void stop() {
        server.close();
        adapter.close();
        slack.close();
        store.close();
    }

    @Test
    void http_mode_is_chosen_when_only_a_signing_secret_is_set() {
        assertThat(adapter.mode()).isEqualTo(SlackCredentials.Mode.HTTP);
        assertThat(adapter.connected()).isTrue();
    }

    @Test
    void a_slash_command_is_acknowledged_run_and_answered_privately() throws Exception {
        HttpResponse<String> response = post(command("/incident", "declare P1 RPC latency high", "13345224609.738474.1"), NOW);

        assertThat(response.statusCode()).isEqualTo(200);
        Eventually.until(() -> !listener.commands.isEmpty(), WAIT, "for the command");
        assertThat(listener.commands).containsExactly(
                new Inbound.Command("slack", "U1ALICE", "C0OPS", "/incident declare P1 RPC latency high"));
        FakeSlackServer.Call reply = slack.awaitCalls("response_url", 1, WAIT).getFirst();
        JsonNode body = JSON.readTree(reply.body());
        assertThat(body.path("response_type").asText()).isEqualTo("ephemeral");
        assertThat(body.path("text").asText()).isEqualTo("done: /incident declare P1 RPC latency high");
        assertThat(body.path("blocks").toString()).contains("done: /incident declare P1 RPC latency high");
    }

    @Test
    void a_command_without_text_arrives_as_the_bare_command() throws Exception {
        assertThat(post(command("/help", "", "1.2.3"), NOW).statusCode()).isEqualTo(200);
        Eventually.until(() -> !listener.commands.isEmpty(), WAIT, "for the command");
        assertThat(listener.commands.getFirst().text()).isEqualTo("/help");
    }

    @Test
    void the_ack_does_not_wait_for_a_slow_command() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        listener.answering(c -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.publicly("finished");
        });

        HttpResponse<String> response = post(command("/diag", "block l2", "2.2.2"), NOW);

        // answered 200 while the command is still blocked on the latch: the ack does not wait for the work
        assertThat(response.statusCode()).isEqualTo(200);
        release.countDown();
        FakeSlackServer.Call reply = slack.awaitCalls("response_url", 1, WAIT).getFirst();
        assertThat(JSON.readTree(reply.body()).path("text").asText()).isEqualTo("finished");
    }

    @Test
    void the_reply_falls_back_to_post_ephemeral_when_the_response_url_fails() throws Exception {
        slack.failNext("response_url", FakeSlackServer.Failure.status(404));
        post(command("/runbook", "list", "3.3.3"), NOW);

        FakeSlackServer.Call ephemeral = slack.awaitCalls("chat.postEphemeral", 1, WAIT).getFirst();
        assertThat(ephemeral.param("channel")).isEqualTo("C0OPS");
        assertThat(ephemeral.param("user")).isEqualTo("U1ALICE");
        assertThat(ephemeral.param("text")).isEqualTo("done: /runbook list");
    }

    @Test
    void a_failing_command_answers_without_a_stack_trace() throws Exception {
        listener.answering(c -> {
            throw new IllegalStateException("boom at dev.firebreak.Secret");
        });
        post(command("/action", "pause l2", "4.4.4"), NOW);

        String text = JSON.readTree(slack.awaitCalls("response_url", 1, WAIT).getFirst().body()).path("text").asText();
        assertThat(text).contains("/action failed").doesNotContain("boom").doesNotContain("at dev.");
    }

    @Test
    void a_bad_signature_gets_401_and_reaches_nothing() throws Exception {
        String body = command("/incident", "declare P0 halt", "5.5.5");
        HttpResponse<String> response = send(body, NOW.getEpochSecond(),
                SlackSigner.sign("not-the-secret", NOW.getEpochSecond(), body), Map.of());
        HttpResponse<String> tampered = send(body + "x", NOW.getEpochSecond(),
                SlackSigner.sign(SIGNING_SECRET, NOW.getEpochSecond(), body), Map.of());
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(response.statusCode(), tampered.statusCode(), unsigned.statusCode())).containsOnly(401);
        assertNothingRan();
    }

    @Test
    void stale_and_future_timestamps_get_401() throws Exception {
        assertThat(post(command("/incident", "a", "6.6.1"), NOW.minusSeconds(301)).statusCode()).isEqualTo(401);
        assertThat(post(command("/incident", "b", "6.6.2"), NOW.plusSeconds(301)).statusCode()).isEqualTo(401);
        assertNothingRan();
        assertThat(post(command("/incident", "c", "6.6.3"), NOW.minusSeconds(299)).statusCode()).isEqualTo(200);
        assertThat(post(command("/incident", "d", "6.6.4"), NOW.plusSeconds(299)).statusCode()).isEqualTo(200);
        Eventually.until(() -> listener.commands.size() == 2, WAIT, "for the two fresh commands");
    }

    private void assertNothingRan() throws Exception {
        // A signed, valid command afterwards proves the pipeline works and is the only thing that ran.
        post(command("/help", "", "9.9.9"), NOW);
        Eventually.until(() -> !listener.commands.isEmpty(), WAIT, "for the control command");
        assertThat(listener.commands).extracting(Inbound.Command::text).containsExactly("/help");
        listener.commands.clear();
    }

    @Test
    void a_redelivered_event_has_one_effect() throws Exception {
        String event = reactionEvent("Ev0001", FakeSlackServer.TEAM_ID, "U1ALICE", "white_check_mark", "reaction_added");
        assertThat(post(event, NOW).statusCode()).isEqualTo(200);
        assertThat(send(event, NOW.getEpochSecond(), SlackSigner.sign(SIGNING_SECRET, NOW.getEpochSecond(), event),
                Map.of("X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")).statusCode()).isEqualTo(200);
        assertThat(post(event, NOW.plusSeconds(5)).statusCode()).isEqualTo(200);
        post(reactionEvent("Ev0002", FakeSlackServer.TEAM_ID, "U2BOB", "white_check_mark", "reaction_added"), NOW);

        Eventually.until(() -> listener.reactions.size() >= 2, WAIT, "for the reactions");
        assertThat(listener.reactions).containsExactly(
                new Inbound.Reaction("slack", "U1ALICE", "C0OPS", "1700000000.000001", "white_check_mark", true),
                new Inbound.Reaction("slack", "U2BOB", "C0OPS", "1700000000.000001", "white_check_mark", true));
    }

    @Test
    void a_slash_command_is_acknowledged_while_the_store_is_busy_and_runs_once_when_it_answers() throws Exception {
        String body = command("/incident", "declare P1 store busy", "7.7.5");
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.sqliteFile().orElseThrow());
             java.sql.Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE"); // another writer holds SQLite's write lock

            assertThat(post(body, NOW).statusCode()).as("acknowledged without the store").isEqualTo(200);
            assertThat(post(body, NOW).statusCode()).as("the replay too").isEqualTo(200);
            assertThat(listener.commands).as("nothing runs before its delivery is recorded").isEmpty();

            statement.execute("ROLLBACK");
        }
        Eventually.until(() -> !listener.commands.isEmpty(), WAIT, "for the command");
        post(command("/help", "", "7.7.6"), NOW);
        Eventually.until(() -> listener.commands.size() >= 2, WAIT, "for the control command");
        assertThat(listener.commands).extracting(Inbound.Command::text).containsExactly("/incident declare P1 store busy", "/help");
    }

    @Test
    void a_replayed_slash_command_runs_once() throws Exception {
        String body = command("/incident", "declare P2 slow", "7.7.7");
        post(body, NOW);
        post(body, NOW.plusSeconds(1));
        post(command("/incident", "status", "7.7.8"), NOW);

        Eventually.until(() -> listener.commands.size() >= 2, WAIT, "for the commands");
        assertThat(listener.commands).extracting(Inbound.Command::text)
                .containsExactlyInAnyOrder("/incident declare P2 slow", "/incident status");
    }

    @Test
    void a_request_replayed_after_a_restart_changes_nothing() throws Exception {
        String event = reactionEvent("Ev0009", FakeSlackServer.TEAM_ID, "U1ALICE", "white_check_mark", "reaction_removed");
        String command = command("/incident", "declare P1 replayed", "7.7.9");
        post(event, NOW);
        post(command, NOW);
        Eventually.until(() -> listener.reactions.size() == 1 && listener.commands.size() == 1, WAIT, "for the first delivery");

        server.close();
        adapter.close();
        RecordingListener afterRestart = new RecordingListener();
        startAdapter(afterRestart);
        // the same signed bytes, well inside the five minutes Slack's signature is accepted for
        assertThat(post(event, NOW).statusCode()).isEqualTo(200);
        assertThat(post(command, NOW).statusCode()).isEqualTo(200);
        post(command("/help", "", "9.9.8"), NOW);

        Eventually.until(() -> !afterRestart.commands.isEmpty(), WAIT, "for the control command");
        assertThat(afterRestart.commands).extracting(Inbound.Command::text).containsExactly("/help");
        assertThat(afterRestart.reactions).isEmpty();
    }

    @Test
    void a_slash_command_from_another_workspace_is_refused_with_a_private_answer_and_a_log_line() throws Exception {
        try (LogCapture logs = LogCapture.everything()) {
            HttpResponse<String> response = post(command("/incident", "declare P0 from elsewhere", "5.5.5")
                    .replace("team_id=" + FakeSlackServer.TEAM_ID, "team_id=T0OTHER"), NOW);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.path("response_type").asText()).isEqualTo("ephemeral");
            assertThat(answer.path("text").asText()).contains("Firebreak is not available from this workspace");
            assertThatNoCommandRan();
            assertThat(logs.lines()).anyMatch(line -> line.contains("Refused Slack command /incident from workspace T0OTHER")
                    && line.contains("serves workspace " + FakeSlackServer.TEAM_ID + " only"));
        }
    }

    @Test
    void events_from_another_organisation_are_dropped() throws Exception {
        post(reactionEvent("Ev31", FakeSlackServer.TEAM_ID, "U1ALICE", "white_check_mark", "reaction_added")
                .replace("\"team_id\":\"" + FakeSlackServer.TEAM_ID + "\",", "\"team_id\":\"" + FakeSlackServer.TEAM_ID
                        + "\",\"enterprise_id\":\"E0OTHER\","), NOW);
        post(reactionEvent("Ev32", FakeSlackServer.TEAM_ID, "U1ALICE", "x", "reaction_added"), NOW);

        Eventually.until(() -> !listener.reactions.isEmpty(), WAIT, "for the reaction");
        assertThat(listener.reactions).extracting(Inbound.Reaction::emoji).containsExactly("x");
    }

    private void assertThatNoCommandRan() throws Exception {
        post(command("/help", "", "9.9.7"), NOW);
        Eventually.until(() -> !listener.commands.isEmpty(), WAIT, "for the control command");
        assertThat(listener.commands).extracting(Inbound.Command::text).containsExactly("/help");
    }

    @Test
    void reactions_count_only_from_people_in_the_bots_own_team() throws Exception {
        post(reactionEvent("Ev1", "T0OTHER", "U9MALLORY", "white_check_mark", "reaction_added"), NOW);
        post(reactionEvent("Ev2", FakeSlackServer.TEAM_ID, "U9MALLORY", "white_check_mark", "reaction_added")
                .replace("\"user\":\"U9MALLORY\"", "\"user\":\"U9MALLORY\",\"user_team\":\"T0OTHER\""), NOW);
        post(reactionEvent("Ev3", FakeSlackServer.TEAM_ID, FakeSlackServer.BOT_USER_ID, "white_check_mark", "reaction_added"), NOW);
        post(reactionEvent("Ev4", FakeSlackServer.TEAM_ID, "U1ALICE", "+1::skin-tone-3", "reaction_added"), NOW);
        post(reactionEvent("Ev5", FakeSlackServer.TEAM_ID, "U1ALICE", "+1", "reaction_removed"), NOW);

        Eventually.until(() -> listener.reactions.size() >= 2, WAIT, "for the reactions");
        assertThat(listener.reactions).containsExactly(
                new Inbound.Reaction("slack", "U1ALICE", "C0OPS", "1700000000.000001", "+1", true),
                new Inbound.Reaction("slack", "U1ALICE", "C0OPS", "1700000000.000001", "+1", false));
    }

    @Test
    void channel_messages_arrive_and_direct_messages_do_not() throws Exception {
        post(messageEvent("EvM1", "im", "D0DM", "secret plans"), NOW);
        post(messageEvent("EvM2", "channel", "C0ALERTS", "FIRING: L2 head stalled"), NOW);

        Eventually.until(() -> !listener.messages.isEmpty(), WAIT, "for the channel message");
        assertThat(listener.messages).containsExactly(
                new Inbound.ChannelMessage("slack", "U1ALICE", "C0ALERTS", "1700000100.000200", "FIRING: L2 head stalled"));
    }

    @Test
    void url_verification_is_answered() throws Exception {
        HttpResponse<String> response = post("{\"token\":\"t\",\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}", NOW);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    }

    @Test
    void on_start_the_reactions_on_pending_approvals_are_read_back() {
        server.close();
        adapter.close();
        slack.setReactions("C0OPS", "1700000000.000042", Map.of(
                "white_check_mark", List.of("U1ALICE", FakeSlackServer.BOT_USER_ID),
                "x::skin-tone-2", List.of("U2BOB")));
        RecordingListener restarted = new RecordingListener();
        restarted.pending.add(new RecordingListener.PendingMessage("C0OPS", "1700000000.000042"));

        startAdapter(restarted);

        Eventually.until(() -> !restarted.reconciliations.isEmpty(), WAIT, "for the reconciliation");
        RecordingListener.Reconciliation reconciliation = restarted.reconciliations.getFirst();
        assertThat(reconciliation.messageId()).isEqualTo("1700000000.000042");
        assertThat(reconciliation.reactions()).containsExactlyInAnyOrder(
                new ChatPlatform.ReactionSnapshot("white_check_mark", List.of("U1ALICE")),
                new ChatPlatform.ReactionSnapshot("x", List.of("U2BOB")));
    }

    @Test
    void the_endpoint_can_be_mounted_before_start_and_answers_503_until_then() throws Exception {
        SlackAdapter notStarted = SlackAdapter.fromEnvironment(environment(), SlackPayloads.COMMANDS, clock, new JdbcDeliveryLog(store, clock)).orElseThrow();
        String body = command("/help", "", "8.8.8");
        var response = notStarted.httpEndpoint().orElseThrow().handle(new dev.firebreak.kernel.WebhookRequest(
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of("X-Slack-Request-Timestamp", String.valueOf(NOW.getEpochSecond()),
                        "X-Slack-Signature", SlackSigner.sign(SIGNING_SECRET, NOW.getEpochSecond(), body))));
        assertThat(response.status()).isEqualTo(503);
        assertThat(notStarted.connected()).isFalse();
        notStarted.close();
    }

    @Test
    void ready_reports_the_slack_connection() throws Exception {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).path("checks").path("slack").asBoolean()).isTrue();
    }

    // ---- requests

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port() + "/slack/events");
    }

    HttpResponse<String> post(String body, Instant timestamp) throws Exception {
        return send(body, timestamp.getEpochSecond(), SlackSigner.sign(SIGNING_SECRET, timestamp.getEpochSecond(), body), Map.of());
    }

    HttpResponse<String> send(String body, long timestamp, String signature, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", body.startsWith("{") ? "application/json" : "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", String.valueOf(timestamp))
                .header("X-Slack-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String command(String command, String text, String triggerId) {
        return SlackPayloads.slashCommandForm(command, text, "U1ALICE", "C0OPS", triggerId, slack.responseUrl(triggerId));
    }

    static String reactionEvent(String eventId, String teamId, String user, String emoji, String type) {
        return SlackPayloads.reactionEvent(eventId, teamId, user, emoji, type);
    }

    static String messageEvent(String eventId, String channelType, String channel, String text) {
        return SlackPayloads.messageEvent(eventId, channelType, channel, text);
    }
}
