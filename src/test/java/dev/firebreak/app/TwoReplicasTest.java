package dev.firebreak.app;

import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kernel.Message;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.TestDatabases;
import dev.firebreak.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two {@code firebreak run} replicas on one real PostgreSQL, each with its own pool, posting to
 * one Slack stand-in: one leads and is ready, the other stands by; what is queued is posted once,
 * also across a takeover, and a deposed leader posts nothing.
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
    void one_replica_leads_and_a_standby_takes_over_delivering_each_queued_message_once() throws Exception {
        String url = TestDatabases.freshUrl("postgresql", folder);
        try (Database storeA = Database.open(url); Database storeB = Database.open(url); Database queue = Database.open(url)) {
            Outbox producer = new Outbox(new JdbcOutboxStore(queue), Clock.systemUTC());
            Bot a = Bot.start(config, storeA, env, Clock.systemUTC(), Duration.ofSeconds(1));
            try (Bot b = Bot.start(config, storeB, env, Clock.systemUTC(), Duration.ofSeconds(1))) {
                assertThat(status(a, "/ready")).isEqualTo(200);
                assertThat(status(b, "/ready")).as("the standby is not ready, so the Service routes to the leader").isEqualTo(503);
                assertThat(status(b, "/health")).isEqualTo(200);

                producer.enqueue("slack", "C0INCIDENTS", Message.text("queued while A leads"));
                Eventually.until(() -> posted("queued while A leads") == 1, Duration.ofSeconds(10), "the leader to post it");

                a.close(); // a graceful stop releases the lock
                producer.enqueue("slack", "C0INCIDENTS", Message.text("queued during the takeover"));
                Eventually.until(() -> posted("queued during the takeover") == 1, TAKEOVER, "the standby to take over and post it");
                assertThat(status(b, "/ready")).isEqualTo(200);
                assertThat(posted("queued while A leads")).as("nothing posted twice").isEqualTo(1);
            } finally {
                a.close();
            }
        }
    }

    @Test
    void a_leader_whose_lock_session_is_cut_posts_nothing_and_the_standby_delivers_once() throws Exception {
        String url = TestDatabases.freshUrl("postgresql", folder);
        try (Database storeA = Database.open(url); Database storeB = Database.open(url); Database queue = Database.open(url);
             Bot a = Bot.start(config, storeA, env, Clock.systemUTC(), Duration.ofSeconds(1));
             Bot b = Bot.start(config, storeB, env, Clock.systemUTC(), Duration.ofSeconds(1))) {
            assertThat(status(a, "/ready")).isEqualTo(200);
            assertThat(status(b, "/ready")).isEqualTo(503);

            // A keeps running, but its session (and with it the lock) is gone: as after a long pause or a partition
            try (var admin = DriverManager.getConnection(url); var statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
                        + " AND objid = (hashtext(current_schema())::int8 & 4294967295)::oid");
            }
            new Outbox(new JdbcOutboxStore(queue), Clock.systemUTC()).enqueue("slack", "C0INCIDENTS", Message.text("after the cut"));

            Eventually.until(() -> posted("after the cut") == 1, TAKEOVER, "the standby to take over and post it");
            Eventually.until(() -> status(b, "/ready") == 200 && status(a, "/ready") == 503, TAKEOVER, "A to notice it was deposed");
            assertThat(posted("after the cut")).as("posted once, by the new leader").isEqualTo(1);
            assertThat(status(a, "/health")).as("the deposed leader asks to be restarted, as a standby").isEqualTo(503);
            assertThat(status(b, "/health")).isEqualTo(200);
        }
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
