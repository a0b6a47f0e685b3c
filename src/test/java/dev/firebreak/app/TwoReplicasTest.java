package dev.firebreak.app;

import dev.firebreak.chat.slack.FakeSlackServer;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQLite is single-process: a second {@code firebreak run} on the same file does not start. (Two
 * replicas on PostgreSQL, as separate processes: {@link TwoProcessesTest}.)
 */
class TwoReplicasTest {

    static final Duration TAKEOVER = Duration.ofSeconds(15);

    @TempDir
    Path folder;
    final HttpClient http = HttpClient.newHttpClient();
    FakeSlackServer slack;
    FirebreakConfig config;
    Map<String, String> env;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        config = new ConfigLoader(Path.of("."), Map.of()).load();
        env = Map.of("SLACK_BOT_TOKEN", "xoxb-replica-test", "SLACK_SIGNING_SECRET", "replica-test-secret",
                "SLACK_API_URL", slack.apiUrl(), "FIREBREAK_HTTP_PORT", "0");
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    @Test
    void a_second_process_on_one_sqlite_file_does_not_start_and_says_why() {
        try (Database store = Database.open("jdbc:sqlite:" + folder.resolve("firebreak.db"));
             Bot first = Bot.start(config, store, env, Clock.systemUTC(), Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> Bot.start(config, store, env, Clock.systemUTC(), Duration.ofSeconds(1)))
                    .isInstanceOf(Bot.NotStarted.class)
                    .hasMessageContaining("another Firebreak process is already running on the SQLite store")
                    .hasMessageContaining("PostgreSQL");
            assertThat(status(first, "/ready")).isEqualTo(200);
        }
    }

    long posted(String text) {
        return slack.calls("chat.postMessage").stream().filter(call -> String.valueOf(call.param("text")).contains(text)).count();
    }

    int status(Bot bot, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bot.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
