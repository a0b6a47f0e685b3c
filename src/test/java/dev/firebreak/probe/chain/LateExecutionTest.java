package dev.firebreak.probe.chain;

import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.probe.ProbeResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 001's late execution, one rule for timelock operations and ManifestDispatcher commitments:
 * late strictly after ETA + grace + 300 s. On anvil, the demo's committed and not yet activated
 * manifest-2 is ready, then late once the chain's time passes the deadline, and fine once activated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class LateExecutionTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private DemoChain devnet;
    private ChainOperations operations;

    @BeforeAll
    void start(DemoChain devnet) {
        this.devnet = devnet;
        operations = new ChainOperations(devnet.chainsConfig(), null, Clock.systemUTC(), executor);
    }

    @AfterAll
    void stop() {
        operations.close();
        executor.shutdownNow();
    }

    @Test
    void late_is_strictly_after_eta_plus_grace_plus_300_seconds() {
        Instant eta = Instant.parse("2026-03-01T12:00:00Z");
        Duration grace = Duration.ofSeconds(60);
        assertThat(LateExecution.deadline(eta, grace)).isEqualTo(Instant.parse("2026-03-01T12:06:00Z"));
        assertThat(LateExecution.late(eta, grace, Instant.parse("2026-03-01T12:06:00Z"))).isFalse();
        assertThat(LateExecution.late(eta, grace, Instant.parse("2026-03-01T12:06:01Z"))).isTrue();
    }

    @Test
    void a_commitment_not_activated_by_the_deadline_is_a_warning_and_fine_once_activated() {
        ProbeResult ready = commitment();
        assertThat(ready.status()).as(ready.summary()).isEqualTo(ProbeResult.Status.OK);
        assertThat(ready.summary()).contains("committed with ETA").contains("ready for activation; late after");

        devnet.rpc().call("evm_increaseTime", 60 + 300 + 5);
        devnet.rpc().call("evm_mine");
        ProbeResult late = commitment();
        assertThat(late.status()).isEqualTo(ProbeResult.Status.WARNING);
        assertThat(late.summary()).contains("is LATE: not activated by ETA + grace 1m + 300 s").contains("md-late-execution");
        assertThat(late.details().plainText()).contains("Grace: 1m (etaGrace())").contains("Late after:");

        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", devnet.address("guardian"),
                "to", devnet.address("manifestDispatcher"), "data", "0x" + org.web3j.crypto.Hash.sha3String("activateCommittedRoot()").substring(2, 10))).asText();
        dev.firebreak.testing.Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the activation");
        ProbeResult activated = commitment();
        assertThat(activated.status()).isEqualTo(ProbeResult.Status.OK);
        assertThat(activated.summary()).contains("no commitment waits for activation");
    }

    private ProbeResult commitment() {
        return operations.probes().get("chain.commitment").run(Map.of("contract", "manifestDispatcher"));
    }
}
