package dev.firebreak.probe.chain;

import dev.firebreak.app.Firebreak;
import dev.firebreak.chat.console.ConsoleAdapter;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain commands through the real engine, store and console adapter, against the demo devnet. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
class ChainConsoleEndToEndTest {

    @TempDir
    Path data;
    private DemoChain devnet;

    @BeforeAll
    void start(DemoChain devnet) {
        this.devnet = devnet;
    }

    private String session(String script) {
        Map<String, String> env = new HashMap<>(devnet.env());
        env.put("SEQUENCER_URL", "http://127.0.0.1:9");
        env.put("SEQUENCER_API_TOKEN", "unused");
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
    void diagnose_then_pause_with_two_approvals_and_see_it_verified() {
        String out = session("""
                alice> /diag chain
                alice> /diag balance batcher
                alice> /action pause l2OutputOracle
                bob> react white_check_mark m3
                carol> react white_check_mark m3
                alice> /diag read l2OutputOracle paused
                alice> /action pause nosuch
                """);
        assertThat(out).contains("latestOutputIndex").contains("below warning 1 ETH");
        assertThat(out).contains("pause()").contains(devnet.address("l2OutputOracle")).contains("31337");
        assertThat(out).contains("paused() == true: holds");
        assertThat(out).contains("unknown contract 'nosuch'");
        assertThat(out).doesNotContain(devnet.env().get("FIREBREAK_GUARDIAN_KEY").substring(2)).doesNotContain("Exception");
    }
}
