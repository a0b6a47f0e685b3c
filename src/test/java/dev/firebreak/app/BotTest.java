package dev.firebreak.app;

import dev.firebreak.testing.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.chat.discord.FakeDiscord;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackPayloads;
import dev.firebreak.chat.slack.SlackSigner;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code firebreak run}: both platforms started from the environment against their fakes, the
 * engine behind them, and the operations endpoints on one HTTP server.
 */
class BotTest {

    static final String SIGNING_SECRET = "run-test-signing-secret";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    FakeSlackServer slack;
    FakeDiscord discord;
    Database db;
    FirebreakConfig config;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        discord = new FakeDiscord().start();
        config = new ConfigLoader(Path.of("."), Map.of()).load();
        db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
    }

    @AfterEach
    void stop() {
        db.close();
        discord.close();
        slack.close();
    }

    Map<String, String> slackHttpMode() {
        return Map.of("SLACK_BOT_TOKEN", "xoxb-run-test", "SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_API_URL", slack.apiUrl());
    }

    @Test
    void run_starts_every_platform_with_credentials_and_serves_health_readiness_metrics_and_slack_events() throws Exception {
        Map<String, String> env = new HashMap<>(slackHttpMode());
        env.putAll(discord.environment());
        env.put("FIREBREAK_HTTP_PORT", "0");

        try (Bot bot = Bot.start(config, db, env, Clock.systemUTC(), Duration.ofSeconds(1))) {
            assertThat(bot.platforms()).containsExactly("Slack (HTTP mode, POST /slack/events)", "Discord");

            assertThat(get(bot, "/health").body()).isEqualTo("ok");
            HttpResponse<String> ready = get(bot, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).path("checks"))
                    .isEqualTo(JSON.readTree("{\"store\": true, \"slack\": true, \"discord\": true}"));
            assertThat(get(bot, "/metrics").body()).contains("firebreak_outbox_depth");

            // Discord got the slash commands of commands/, /diag split into groups
            JsonNode registered = discord.awaitCall("PUT", "applications/\\d+/guilds/\\d+/commands", WAIT).json();
            assertThat(registered.findValuesAsText("name")).contains("incident", "diag", "chain", "k8s", "sql");

            // a signed Slack slash command reaches the engine and is answered privately
            long now = Clock.systemUTC().instant().getEpochSecond();
            String form = SlackPayloads.slashCommandForm("/help", "", "U0ALICE", "C0INCIDENTS", "1.1.1", slack.responseUrl("help"));
            HttpResponse<String> acknowledged = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.httpPort() + "/slack/events"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Slack-Request-Timestamp", String.valueOf(now))
                    .header("X-Slack-Signature", SlackSigner.sign(SIGNING_SECRET, now, form))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(acknowledged.statusCode()).isEqualTo(200);
            FakeSlackServer.Call reply = slack.awaitCalls("response_url", 1, WAIT).getFirst();
            assertThat(JSON.readTree(reply.body()).path("text").asText()).contains("*/incident*", "declare", "/help COMMAND");
            assertThat(get(bot, "/metrics").body()).contains("firebreak_commands_seconds_count{outcome=\"ok\"} 1\n");
        }
        Eventually.until(() -> !discord.connected(), WAIT, "closing the bot to disconnect from Discord");
    }

    @Test
    void run_without_any_chat_credentials_says_what_to_set_and_starts_nothing() {
        assertThatThrownBy(() -> Bot.start(config, db, Map.of("FIREBREAK_HTTP_PORT", "0"), Clock.systemUTC(), Duration.ofSeconds(1)))
                .isInstanceOf(Bot.NotStarted.class)
                .hasMessageContaining("SLACK_BOT_TOKEN").hasMessageContaining("DISCORD_BOT_TOKEN").hasMessageContaining("./firebreak demo");
    }

    @Test
    void a_port_in_use_stops_start_up_naming_the_variable_and_leaves_no_platform_connected() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"))) {
            Map<String, String> env = new HashMap<>(discord.environment());
            env.put("FIREBREAK_HTTP_PORT", String.valueOf(taken.getLocalPort()));
            assertThatThrownBy(() -> Bot.start(config, db, env, Clock.systemUTC(), Duration.ofSeconds(1)))
                    .isInstanceOf(Bot.NotStarted.class)
                    .hasMessageContaining("port " + taken.getLocalPort()).hasMessageContaining("FIREBREAK_HTTP_PORT");
        }
        Eventually.until(() -> !discord.connected(), WAIT, "the half-started bot to disconnect from Discord");
    }

    HttpResponse<String> get(Bot bot, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
