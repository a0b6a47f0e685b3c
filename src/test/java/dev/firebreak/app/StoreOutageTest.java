package dev.firebreak.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.chat.console.ConsoleAdapter;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.chat.discord.FakeDiscord;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.TestDatabases;
import dev.firebreak.testing.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store fails while the bot works: it answers that the store is unreachable and what was and
 * was not done, leaves nothing half-done (no channel without an incident, no skipped incident
 * number), keeps reading console lines, and {@code /ready} is 503 while SQLite is locked.
 */
class StoreOutageTest {

    @TempDir
    Path data;

    private final FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();

    private String lockableStore() {
        return "jdbc:sqlite:" + data.resolve("firebreak.db") + "?busy_timeout=100";
    }

    /** Another process holding the SQLite store's write lock until closed. */
    private AutoCloseable lockStore() throws Exception {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("firebreak.db"));
        Statement statement = other.createStatement();
        statement.execute("BEGIN EXCLUSIVE");
        return () -> {
            statement.execute("ROLLBACK");
            other.close();
        };
    }

    @Test
    void a_declaration_the_store_refused_creates_no_channel_and_uses_no_incident_number() throws Exception {
        try (ConsoleBot bot = ConsoleBot.started(config, lockableStore())) {
            try (AutoCloseable locked = lockStore()) {
                String reply = bot.say("alice", "/incident declare P1 RPC latency high").message().plainText();
                assertThat(reply).isEqualTo("The store is unreachable (the SQLite database is locked by another connection): no "
                        + "incident was declared and no channel was created. Try again when the store answers (the operations "
                        + "endpoint /ready says when).");
            }
            assertThat(bot.output()).doesNotContain("] created");
            assertThat(bot.say("alice", "/incident declare P1 RPC latency high").message().plainText()).startsWith("Declared INC-1 [P1]");
            assertThat(ConsoleBot.count(bot.output(), "-rpc-latency-high] created")).isEqualTo(1);
        }
    }

    @Test
    void a_diagnostic_the_store_refused_mid_command_says_what_it_found_and_that_it_was_not_posted() throws Exception {
        try (ConsoleBot bot = ConsoleBot.started(config, lockableStore())) {
            JdbcAuditLog audit = new JdbcAuditLog(bot.database(), Clock.systemUTC());
            try (AutoCloseable locked = lockStore()) {
                String reply = bot.say("alice", "/diag health eigenda").message().plainText();
                assertThat(reply).startsWith("The store is unreachable (the SQLite database is locked by another connection): "
                                + "`/diag health eigenda health` ran and found ERROR (eigenda /health ")
                        .endsWith("), but it was not posted in the channel. Try again when the store answers (the operations "
                                + "endpoint /ready says when).");
            }
            assertThat(audit.entries()).noneMatch(entry -> entry.detail().equals("/diag health eigenda"));
            assertThat(bot.say("alice", "/diag health eigenda").message().plainText()).contains("eigenda");
            assertThat(audit.entries()).filteredOn(entry -> entry.detail().equals("/diag health eigenda")).hasSize(1);
        }
    }

    @Test
    void the_console_answers_a_line_the_store_failed_and_reads_on() throws Exception {
        String url = TestDatabases.freshUrl("postgresql", data);
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PipedInputStream stdin = new PipedInputStream(64 * 1024);
        PrintStream typing = new PrintStream(new PipedOutputStream(stdin), true, StandardCharsets.UTF_8);
        try (Database db = Database.open(url)) {
            ConsolePlatform platform = new ConsolePlatform(out, new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                firebreak.start(Duration.ofHours(1));
                Thread console = Thread.ofVirtual().start(() -> new ConsoleAdapter(platform, stdin, out, "incidents", "alice",
                        firebreak.afterEachLine(Duration.ofSeconds(10)), true).start(firebreak.engine()));

                typing.println("alice> /incident declare P1 RPC latency high");
                Eventually.until(() -> bytes.toString(StandardCharsets.UTF_8).contains("[#incidents] m"),
                        "for the first declaration to be announced in #incidents");
                assertThat(new JdbcIncidentRepository(db).open()).hasSize(1);

                try (Connection admin = DriverManager.getConnection(TestDatabases.postgresServer());
                     Statement statement = admin.createStatement()) {
                    dropRacingTheWorkers(statement, "DROP SCHEMA " + schema + " CASCADE");   // the store is gone
                }
                typing.println("alice> /incident declare P0 disk full");
                Eventually.until(() -> bytes.toString(StandardCharsets.UTF_8).contains("no incident was declared and no channel was created"),
                        "for the console to answer the failed line");
                typing.println("alice> /help");
                Eventually.until(() -> bytes.toString(StandardCharsets.UTF_8).contains("/help COMMAND"),
                        "for the console to read on and answer the next line");
                typing.close();
                console.join(Duration.ofSeconds(15));
                assertThat(console.isAlive()).as("the console ends at the end of its input, not before").isFalse();

                String output = bytes.toString(StandardCharsets.UTF_8);
                assertThat(output).contains("The store is unreachable (Firebreak's PostgreSQL schema or its tables are missing): "
                        + "no incident was declared and no channel was created")
                        .doesNotContain("disk-full] created").doesNotContain("Something went wrong");
            }
        }
    }

    @Test
    void ready_is_503_while_the_sqlite_store_is_locked_and_200_again_after() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (FakeDiscord discord = new FakeDiscord().start(); Database db = Database.open(lockableStore())) {
            Map<String, String> env = new HashMap<>(discord.environment());
            env.put("FIREBREAK_HTTP_PORT", "0");
            try (Bot bot = Bot.start(config, db, env, Clock.systemUTC(), Duration.ofHours(1))) {
                URI ready = URI.create("http://127.0.0.1:" + bot.httpPort() + "/ready");
                Eventually.until(() -> status(http, ready).statusCode() == 200, "for the bot to be ready");
                try (AutoCloseable locked = lockStore()) {
                    HttpResponse<String> notReady = status(http, ready);
                    assertThat(notReady.statusCode()).isEqualTo(503);
                    assertThat(json.readTree(notReady.body()).path("checks").path("store").asBoolean(true)).isFalse();
                }
                assertThat(status(http, ready).statusCode()).isEqualTo(200);
            }
        }
    }

    private static HttpResponse<String> status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("GET " + uri + " failed", e);
        }
    }

    /** Drops the store while the bot's background work may hold its locks: PostgreSQL may pick the drop as a deadlock's victim, so it is tried again. */
    private static void dropRacingTheWorkers(Statement statement, String sql) throws java.sql.SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                statement.execute(sql);
                return;
            } catch (java.sql.SQLException e) {
                if (!"40P01".equals(e.getSQLState()) || attempt == 5) throw e;
            }
        }
    }
}
