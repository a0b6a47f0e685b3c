package dev.firebreak.chat.slack;


import dev.firebreak.testing.Eventually;
import dev.firebreak.chat.RecordingListener;
import dev.firebreak.chat.ChatException;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Reply;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.TestDatabases;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens and the signing secret never reach a log line at any level (Bolt, the Slack SDK, OkHttp,
 * Jetty and Firebreak itself, all at TRACE), whatever happens: commands, events, failures.
 */
class SlackSecretsTest {

    @TempDir
    Path data;

    static final String BOT_TOKEN = "xoxb-9999-LEAKCHECKBOTTOKEN";
    static final String APP_TOKEN = "xapp-1-A0-LEAKCHECKAPPTOKEN";
    static final String SIGNING_SECRET = "LEAKCHECKSIGNINGSECRET";
    static final List<String> SECRETS = List.of(BOT_TOKEN, APP_TOKEN, SIGNING_SECRET,
            "LEAKCHECKBOTTOKEN", "LEAKCHECKAPPTOKEN");
    static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void no_secret_in_any_log_line_in_socket_mode() {
        try (LogCapture logs = LogCapture.everything(); FakeSlackServer slack = FakeSlackServer.start();
             Database store = TestDatabases.sqliteIn(data)) {
            RecordingListener listener = new RecordingListener().answering(c -> Reply.privately("ok"));
            SlackAdapter adapter = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", BOT_TOKEN,
                    "SLACK_APP_TOKEN", APP_TOKEN, "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, Clock.systemUTC(),
                    new JdbcDeliveryLog(store, Clock.systemUTC())).orElseThrow();
            try {
                adapter.start(listener);
                slack.awaitSocketConnections(1, WAIT);
                slack.sendEnvelope("slash_commands", """
                        {"team_id":"T0FIRE","channel_id":"C0OPS","user_id":"U1ALICE","command":"/diag",
                         "text":"block l2","response_url":"%s","trigger_id":"1.1.1"}""".formatted(slack.responseUrl("1")));
                slack.awaitCalls("response_url", 1, WAIT);
                slack.failNext("chat.postMessage", FakeSlackServer.Failure.error("invalid_auth"));
                ChatException failure = org.junit.jupiter.api.Assertions.assertThrows(ChatException.class,
                        () -> adapter.platform().post("C0OPS", Message.text("hello")));
                assertThat(failure.getMessage()).doesNotContain(BOT_TOKEN);
                slack.requestReconnect();
                slack.awaitSocketConnections(2, WAIT);
            } finally {
                adapter.close();
            }
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> SECRETS.stream().anyMatch(line::contains));
            assertThat(logs.lines()).anyMatch(line -> line.contains("Socket Mode"));
        }
    }

    @Test
    void no_secret_in_any_log_line_in_http_mode() throws Exception {
        try (LogCapture logs = LogCapture.everything(); FakeSlackServer slack = FakeSlackServer.start();
             Database store = TestDatabases.sqliteIn(data)) {
            RecordingListener listener = new RecordingListener();
            SlackAdapter adapter = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", BOT_TOKEN,
                    "SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, Clock.systemUTC(),
                    new JdbcDeliveryLog(store, Clock.systemUTC())).orElseThrow();
            adapter.start(listener);
            try (OperationsServer server = new OperationsServer(0, () -> new Readiness(Map.of()),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    Map.of("/slack/events", adapter.httpEndpoint().orElseThrow())).start()) {
                HttpClient http = HttpClient.newHttpClient();
                long now = Instant.now().getEpochSecond();
                String body = "command=%2Fhelp&text=&user_id=U1ALICE&channel_id=C0OPS&team_id=T0FIRE&trigger_id=2.2.2"
                        + "&response_url=" + java.net.URLEncoder.encode(slack.responseUrl("2"), java.nio.charset.StandardCharsets.UTF_8);
                for (String signature : List.of(SlackSigner.sign(SIGNING_SECRET, now, body), "v0=bad")) {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slack/events"))
                            .header("X-Slack-Request-Timestamp", String.valueOf(now)).header("X-Slack-Signature", signature)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                }
                Eventually.until(() -> !slack.calls("response_url").isEmpty(), WAIT, "for the reply");
            } finally {
                adapter.close();
            }
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> SECRETS.stream().anyMatch(line::contains));
            assertThat(logs.lines()).anyMatch(line -> line.contains("signature does not match"));
        }
    }
}
