package dev.firebreak.app;

import com.sun.net.httpserver.HttpServer;
import dev.firebreak.chat.console.ConsoleAdapter;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
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
 * Pipes scripted sessions through the real engine, store and console adapter, with the
 * sequencer's anchor endpoint served by a local HTTP server that counts the POSTs.
 */
class ConsoleEndToEndTest {

    @TempDir
    Path data;

    private HttpServer sequencer;
    private final List<String> posts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSequencer() throws Exception {
        sequencer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sequencer.createContext("/health", exchange -> {
            byte[] body = "{\"status\": \"healthy\", \"service\": \"stateset-sequencer\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sequencer.createContext("/api/v1/ves/anchor", exchange -> {
            posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        sequencer.start();
    }

    @AfterEach
    void stopSequencer() {
        sequencer.stop(0);
    }

    private String session(String script) {
        Map<String, String> env = Map.of("SEQUENCER_URL", "http://127.0.0.1:" + sequencer.getAddress().getPort(),
                "SEQUENCER_API_TOKEN", "token-that-must-not-leak");
        FirebreakConfig config = new ConfigLoader(Path.of("."), env).load();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            ConsolePlatform platform = new ConsolePlatform(out, new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                new ConsoleAdapter(platform, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out,
                        "incidents", "alice", () -> firebreak.outbox().deliverDue(), true).start(firebreak.engine());
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void only_two_distinct_approvers_other_than_the_requester_run_the_action_once() {
        String out = session("""
                alice> /incident declare P1 Anchoring lag
                alice #inc-20261123-anchoring-lag> /action anchor-retry batch-42
                alice> react white_check_mark m3
                mallory> react white_check_mark m3
                bob> react white_check_mark m3
                carol> react white_check_mark m3
                bob> react white_check_mark m3
                """.replace("20261123", today()));

        assertThat(out).contains("Approval needed A-1").contains("Can approve: bob, carol");
        assertThat(out).contains("You requested A-1, so your reaction does not count");
        assertThat(out).contains("[private to mallory").contains("needs role approver");
        assertThat(out).contains("bob approved A-1 (1/2)").contains("A-1 approved by bob, carol");
        assertThat(out).contains("A-1 is already succeeded; your reaction was not counted.");
        assertThat(posts).containsExactly("{\"batch_id\":\"batch-42\"} Bearer token-that-must-not-leak");
        assertThat(out).doesNotContain("token-that-must-not-leak");
    }

    @Test
    void a_restart_between_approvals_keeps_the_request_and_the_first_vote() {
        String first = session("""
                alice> /incident declare P0 L2 blocks stopped
                alice #inc-20261123-l2-blocks-stopped> /action anchor-retry batch-7
                bob> react white_check_mark m3
                """.replace("20261123", today()));
        assertThat(first).contains("bob approved A-1 (1/2)");
        assertThat(posts).isEmpty();

        String second = session("""
                carol> react white_check_mark m3
                alice #inc-20261123-l2-blocks-stopped> /incident timeline
                """.replace("20261123", today()));
        assertThat(second).contains("A-1 approved by bob, carol");
        assertThat(posts).hasSize(1);
        assertThat(second).contains("Incident declared: [P0] L2 blocks stopped").contains("A-1 anchor-retry succeeded");

        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            assertThat(new JdbcAuditLog(db, Clock.systemUTC()).firstTampered()).isEmpty();
        }
    }

    @Test
    void bad_input_gets_one_clear_private_reply_and_changes_nothing() {
        String out = session("""
                alice> /incident declare P9 Something
                alice> /incident frobnicate
                alice> /diag health nosuchservice
                mallory> /incident declare P1 Not allowed
                alice> /incident list
                """);
        assertThat(out).contains("Unknown severity \"P9\"; use one of P0, P1, P2, P3.");
        assertThat(out).contains("Unknown subcommand /incident frobnicate.");
        assertThat(out).containsPattern("Unknown service \"nosuchservice\"; known services: [a-zA-Z0-9, -]*\\bsequencer\\b");
        assertThat(out).contains("/incident declare needs the role responder");
        assertThat(out).doesNotContain("created").doesNotContain("Exception");
    }

    private static String today() {
        return java.time.LocalDate.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
    }
}
