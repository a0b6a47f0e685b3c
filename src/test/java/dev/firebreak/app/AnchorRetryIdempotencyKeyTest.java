package dev.firebreak.app;

import com.sun.net.httpserver.HttpServer;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.watch.WatchersConfig;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcApprovalRepository;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
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
 * The anchor retry's {@code Idempotency-Key} is its approval request's execution key: two fresh
 * stores both number their first request A-1, and the sequencer still sees two different keys.
 */
class AnchorRetryIdempotencyKeyTest {

    private static final String CHANNEL_PREFIX = "[#inc-";

    @TempDir
    Path data;
    HttpServer sequencer;
    final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startSequencer() throws IOException {
        sequencer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        sequencer.createContext("/api/v1/ves/anchor", exchange -> {
            idempotencyKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            byte[] body = "{\"anchored\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sequencer.start();
    }

    @AfterEach
    void stopSequencer() {
        sequencer.stop(0);
    }

    /** One bot on a fresh store: declare, request the anchor retry, bob and carol approve; returns A-1's stored key. */
    private String approveAnchorRetryOnAFreshStore(String store) {
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL",
                "http://127.0.0.1:" + sequencer.getAddress().getPort())).load()
                // the approval request's message number is counted: no first snapshot (posted on its own thread), no watchers
                .withSnapshot(SnapshotConfig.none()).withWatchers(WatchersConfig.none());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve(store + ".db"))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(printed, true, StandardCharsets.UTF_8),
                    new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                firebreak.engine().onCommand(new Inbound.Command("console", "alice", "incidents", "/incident declare P1 anchoring stalled"));
                firebreak.outbox().deliverDue();
                String out = printed.toString(StandardCharsets.UTF_8);
                String channel = out.substring(out.indexOf(CHANNEL_PREFIX) + 2, out.indexOf(']', out.indexOf(CHANNEL_PREFIX)));
                firebreak.engine().onCommand(new Inbound.Command("console", "alice", channel, "/action anchor-retry batch-9"));
                firebreak.outbox().deliverDue();
                out = printed.toString(StandardCharsets.UTF_8);
                assertThat(out).contains("Approval needed A-1");
                String message = out.substring(out.lastIndexOf("] m") + 2).split("\\s")[0];
                Runnable settle = firebreak.afterEachLine(Duration.ofSeconds(15));   // approved actions run on threads of their own
                for (String approver : List.of("bob", "carol")) {
                    firebreak.engine().onReaction(new Inbound.Reaction("console", approver, channel, message, "white_check_mark", true));
                }
                settle.run();
                assertThat(printed.toString(StandardCharsets.UTF_8)).contains("A-1 done");
            }
            return new JdbcApprovalRepository(db).find(1).orElseThrow().executionKey();
        }
    }

    @Test
    void each_fresh_stores_A_1_reaches_the_sequencer_with_its_own_key() {
        String first = approveAnchorRetryOnAFreshStore("first");
        String second = approveAnchorRetryOnAFreshStore("second");

        assertThat(idempotencyKeys).containsExactly(first, second);
        assertThat(first).matches("A-1-[0-9a-f]{32}");
        assertThat(second).matches("A-1-[0-9a-f]{32}").isNotEqualTo(first);
    }
}
