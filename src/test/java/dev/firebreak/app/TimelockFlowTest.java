package dev.firebreak.app;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.probe.chain.ChainsConfig;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.testing.Eventually;
import dev.firebreak.watch.WatchersConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A timelocked unpause the whole way through the bot on anvil: scheduled behind two approvals,
 * refused before its ETA, one reminder at the ETA in the channel that scheduled it, one late alert
 * through the alert intake past ETA + grace + 300 s, across a restart and with a second engine
 * ticking on the same store, then executed and the alert resolved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class TimelockFlowTest {

    private DemoChain devnet;
    private String timelock;
    @TempDir
    Path data;

    @BeforeAll
    void devnet(DemoChain devnet) {
        this.devnet = devnet;
        timelock = devnet.deployTimelock(Duration.ofMinutes(2), devnet.address("guardian"));
        send(devnet.address("guardian"), devnet.address("pilOrchestrator"), FunctionEncoder.encode(new Function("grantRole",
                List.of(new Bytes32(new byte[32]), new Address(timelock)), List.of())));
    }

    @BeforeEach
    void paused() {
        send(devnet.address("guardian"), devnet.address("pilOrchestrator"), "0x8456cb59");
    }

    private FirebreakConfig config() {
        FirebreakConfig loaded = DevnetConfig.load(devnet, Map.of());
        ChainsConfig chains = loaded.chains().withTimelocks(Map.of("opsTimelock", new ChainsConfig.TimelockSpec("devnet", timelock,
                new ChainsConfig.Proposer(null, "guardian"), Duration.ofMinutes(2), Duration.ofMinutes(10),
                Map.of("pilOrchestrator", List.of("unpause()")))));
        return loaded.withChains(chains).withSnapshot(SnapshotConfig.none()).withWatchers(WatchersConfig.none());
    }

    @Test
    void scheduled_reminded_once_alerted_late_once_across_a_restart_and_two_engines_then_executed() {
        FirebreakConfig config = config();
        String store = "jdbc:sqlite:" + data.resolve("firebreak.db");
        String all;
        try (ConsoleBot first = ConsoleBot.started(config, store)) {
            assertThat(first.say("alice", "/action schedule unpause pilOrchestrator").message().plainText()).contains("A-1 posted");
            String request = first.awaitOutput("Approval needed A-1: chain.schedule");
            assertThat(request).contains("Operation id: 0x").contains("Delay: 2m (120 s)").contains("ETA: about ")
                    .contains("Schedules: unpause pilOrchestrator");
            first.approve(1, "bob", "carol");
            String scheduled = first.awaitOutput("A-1 done");
            assertThat(scheduled).contains("pending, ETA ");

            String early = first.say("alice", "/action execute-scheduled unpause pilOrchestrator").message().plainText();
            assertThat(early).contains("is not ready: its ETA is").contains("from now");
            first.firebreak().tick();
            assertThat(first.output()).doesNotContain("Timelock operation ready");

            advance(121);
            first.firebreak().tick();
            first.firebreak().tick();
            all = first.awaitOutput("Timelock operation ready: unpause pilOrchestrator on opsTimelock");
            assertThat(all).contains("Execute it: /action execute-scheduled unpause pilOrchestrator");
        }
        try (ConsoleBot second = ConsoleBot.started(config, store); ConsoleBot replica = ConsoleBot.started(config, store)) {
            second.firebreak().tick();
            replica.firebreak().tick();
            advance(600 + 300 + 1);   // past ETA + grace + 300 s
            second.firebreak().tick();
            replica.firebreak().tick();
            second.firebreak().tick();
            Eventually.until(() -> (second.output() + replica.output()).contains("TimelockExecutionLate"), "for the late alert");
            String both = second.output() + replica.output();
            assertThat(ConsoleBot.count(all + both, "Timelock operation ready")).as("one reminder across a restart and two engines")
                    .isEqualTo(1);
            assertThat(audited(second, "timelock.late")).as("one late alert").isEqualTo(1);
            assertThat(audited(second, "timelock.reminded")).isEqualTo(1);
            assertThat(both).contains("is late: ETA").contains("ETA + grace + 300 s");

            assertThat(second.say("alice", "/action execute-scheduled unpause pilOrchestrator").message().plainText()).contains("A-2 posted");
            second.approve(2, "bob", "carol");
            String executed = second.awaitOutput("A-2 done");
            assertThat(executed).contains("done; pilOrchestrator.isPaused() == false: holds (was true, now false)");
            second.firebreak().tick();
            replica.firebreak().tick();
            assertThat(audited(second, "timelock.done")).isEqualTo(1);
            assertThat(second.say("alice", "/action execute-scheduled unpause pilOrchestrator").message().plainText())
                    .contains("is already done");
        }
    }

    private static long audited(ConsoleBot bot, String event) {
        return bot.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit_log WHERE event = :e")
                .bind("e", event).mapTo(Long.class).one());
    }

    private void advance(long seconds) {
        devnet.rpc().call("evm_increaseTime", seconds);
        devnet.rpc().call("evm_mine");
    }

    private void send(String from, String to, String data) {
        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", from, "to", to, "data", data)).asText();
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
    }
}
