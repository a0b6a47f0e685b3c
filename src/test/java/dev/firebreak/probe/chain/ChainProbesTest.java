package dev.firebreak.probe.chain;

import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.firebreak.testing.RpcStandIn;
import dev.firebreak.probe.FixedArguments;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
class ChainProbesTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private DemoChain devnet;
    private ChainOperations operations;
    private Map<String, Probe> probes;

    @BeforeAll
    void start(DemoChain devnet) {
        this.devnet = devnet;
        operations = new ChainOperations(devnet.chainsConfig(), null, Clock.systemUTC(), executor);
        probes = operations.probes();
    }

    @AfterAll
    void stop() {
        operations.close();
        executor.shutdownNow();
    }

    private static Map<String, String> args(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }

    @Test
    void a_value_a_run_refuses_is_refused_by_validation_with_the_same_message() {
        for (var bad : List.of(Map.entry("chain.outputAge", args("contract", "l2OutputOracle", "cadence", "hourly")),
                Map.entry("chain.receipt", args("tx", "0x1234")),
                Map.entry("chain.events", args("contract", "nosuch", "event", "Paused", "blocks", "100")))) {
            Probe probe = probes.get(bad.getKey());
            String refused = catchThrowableOfType(InvalidInput.class, () -> probe.run(bad.getValue())).getMessage();
            assertThat(FixedArguments.problem(probe, bad.getValue(), Set.of())).as(bad.getKey())
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        assertThat(FixedArguments.problem(probes.get("chain.outputAge"), args("cadence", "hourly"), Set.of("contract")))
                .as("the cadence stands on its own: judged although chat names the contract")
                .hasValueSatisfying(p -> assertThat(p.argument()).contains("cadence"));
    }

    @Test
    void the_demo_configuration_has_no_problems() {
        assertThat(devnet.chainsConfig().problems()).isEmpty();
    }

    @Test
    void head_reports_the_latest_block_and_a_fresh_age() {
        devnet.rpc().call("anvil_mine", "0x1");
        long expected = devnet.rpc().blockNumber();
        var result = probes.get("chain.head").run(args("chain", "devnet"));
        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).contains("head " + expected);
    }

    @Test
    void head_is_critical_when_no_block_came_within_the_stall_threshold() {
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
        try (ChainOperations stalled = new ChainOperations(devnet.chainsConfig(), null, later, executor)) {
            var result = stalled.probes().get("chain.head").run(args("chain", "devnet"));
            assertThat(result.status()).isEqualTo(Status.CRITICAL);
            assertThat(result.summary()).contains("STALLED");
        }
    }

    @Test
    void chain_id_matches_the_configuration() {
        var result = probes.get("chain.id").run(args("chain", "devnet"));
        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).contains("31337");
    }

    @Test
    void sync_status_reports_heads_and_lags_from_the_op_node() {
        devnet.rpc().call("anvil_mine", "0x10");
        devnet.opNode().setLags(3, 8);
        var result = probes.get("chain.sync").run(args("chain", "devnet"));
        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).contains("(lag 3)").contains("(lag 8)");
    }

    @Test
    void sync_status_warns_when_the_safe_head_falls_behind() {
        devnet.rpc().call("anvil_mine", "0x400");
        devnet.opNode().setLags(700, 800);
        try {
            var result = probes.get("chain.sync").run(args("chain", "devnet"));
            assertThat(result.status()).isEqualTo(Status.WARNING);
            assertThat(result.summary()).contains("safe head 700 blocks behind");
        } finally {
            devnet.opNode().setLags(2, 4);
        }
    }

    @Test
    void balances_are_judged_against_their_thresholds() {
        var batcher = probes.get("chain.balance").run(args("account", "batcher"));
        assertThat(batcher.status()).isEqualTo(Status.WARNING);
        assertThat(batcher.summary()).contains("0.5 ETH").contains("below warning 1");
        var all = probes.get("chain.balance").run(args());
        assertThat(all.status()).isEqualTo(Status.WARNING);
        assertThat(all.summary()).contains("proposer").contains("sequencer");
    }

    @Test
    void gas_reports_price_and_base_fee() {
        var result = probes.get("chain.gas").run(args("chain", "devnet"));
        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).contains("gas price").contains("base fee").contains("gwei");
    }

    @Test
    void typed_contract_reads() {
        assertThat(probes.get("chain.read").run(args("contract", "setRegistry", "function", "totalCommitments")).summary())
                .endsWith("= 3");
        assertThat(probes.get("chain.read").run(args("contract", "l2OutputOracle", "function", "latestOutputIndex")).summary())
                .endsWith("= 1");
        assertThat(probes.get("chain.read").run(args("contract", "pilOrchestrator", "function", "isPaused")).summary())
                .endsWith("= false");
        assertThat(probes.get("chain.read").run(args("contract", "manifestDispatcher", "function", "pendingRoot")).summary())
                .matches(".*= 0x[0-9a-f]{64}");
        assertThat(probes.get("chain.read").run(args("contract", "manifestDispatcher", "function", "hasRole",
                "args", "EMERGENCY_ROLE " + devnet.address("guardian"))).summary()).endsWith("= true");
        assertThat(probes.get("chain.read").run(args("contract", "setRegistry", "function", "authorizedSequencers(address)",
                "args", devnet.address("sequencer"))).summary()).endsWith("= true");
        // Safe and timelock names stand for their addresses too: the demo timelock administers the orchestrator
        assertThat(probes.get("chain.read").run(args("contract", "pilOrchestrator", "function", "hasRole",
                "args", "DEFAULT_ADMIN_ROLE pilTimelock")).summary()).endsWith("= true");
        assertThat(probes.get("chain.read").run(args("contract", "pilOrchestrator", "function", "hasRole",
                "args", "DEFAULT_ADMIN_ROLE pilSafe")).summary()).endsWith("= false");
        // account names from bot/chains.yaml stand for their addresses
        assertThat(probes.get("chain.read").run(args("contract", "setRegistry", "function", "authorizedSequencers",
                "args", "sequencer")).summary()).endsWith("= true");
        assertThat(probes.get("chain.read").run(args("contract", "setRegistry", "function", "authorizedSequencers",
                "args", "batcher")).summary()).endsWith("= false");
    }

    @Test
    void events_over_a_block_range_are_decoded() {
        var outputs = probes.get("chain.events").run(args("contract", "l2OutputOracle", "event", "OutputProposed"));
        assertThat(outputs.summary()).startsWith("2 OutputProposed");
        assertThat(outputs.details().plainText()).contains("l2OutputIndex=1").contains("l2BlockNumber=3600");
        var mismatch = probes.get("chain.events").run(args("contract", "manifestDispatcher", "event", "CodehashMismatch"));
        assertThat(mismatch.summary()).startsWith("1 CodehashMismatch");
        assertThat(mismatch.details().plainText()).contains("selector=0x8456cb59");
        assertThat(probes.get("chain.events").run(args("contract", "manifestDispatcher", "event", "Activated")).summary()).startsWith("1 ");
        assertThat(probes.get("chain.events").run(args("contract", "setRegistry", "event", "Committed")).summary()).startsWith("3 ");
        var none = probes.get("chain.events").run(args("contract", "l2OutputOracle", "event", "Paused", "minCount", "1"));
        assertThat(none.status()).isEqualTo(Status.WARNING);
    }

    @Test
    void calldata_is_decoded_from_the_known_abis() {
        String calldata = "0x2f2ff15d" + "ab".repeat(32) + "000000000000000000000000" + devnet.address("batcher").substring(2).toLowerCase();
        var result = probes.get("chain.decode").run(args("calldata", calldata));
        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).contains("grantRole(bytes32,address)").contains(devnet.address("batcher").toLowerCase());
        assertThat(probes.get("chain.decode").run(args("calldata", "0xdeadbeef")).status()).isEqualTo(Status.WARNING);
    }

    @Test
    void gas_estimates_and_their_reverts() {
        var ok = probes.get("chain.estimate").run(args("contract", "pilOrchestrator", "function", "pause"));
        assertThat(ok.status()).isEqualTo(Status.OK);
        assertThat(ok.summary()).containsPattern("estimated at \\d+ gas");
        var reverts = probes.get("chain.estimate").run(args("contract", "pilOrchestrator", "function", "unpause"));
        assertThat(reverts.status()).isEqualTo(Status.WARNING);
        assertThat(reverts.summary()).contains("not paused");
    }

    @Test
    void snapshot_runs_the_first_response_checks_together() {
        var result = probes.get("chain.snapshot").run(args("chain", "devnet"));
        assertThat(result.details().plainText()).contains("head").contains("op-node sync").contains("balance batcher").contains("l2OutputOracle.latestOutputIndex");
        assertThat(result.status()).isEqualTo(Status.WARNING);
    }

    @Test
    void the_snapshot_is_one_round_trip_to_the_rpc_with_one_chain_id_check_on_one_connection() {
        ChainsConfig full = devnet.chainsConfig();
        ChainsConfig.ChainSpec spec = full.chains().get("devnet");
        try (RpcStandIn rpc = RpcStandIn.inFrontOf(spec.rpcUrls().getFirst());
             ChainOperations counted = new ChainOperations(new ChainsConfig(Map.of("devnet", new ChainsConfig.ChainSpec(
                     List.of(rpc.url()), spec.chainId(), 1, 3600, 5000, spec.opNodeUrl(), null, null)),
                     full.accounts(), full.contracts(), full.signers(), full.limits()), null, Clock.systemUTC(), executor)) {
            Probe snapshot = counted.probes().get("chain.snapshot");
            var first = snapshot.run(args("chain", "devnet"));
            assertThat(first.details().plainText()).contains("balance batcher").contains("l2OutputOracle.latestOutputIndex")
                    .contains("op-node sync").doesNotContain("refused");
            assertThat(rpc.requests()).as("one batch: the chain id check, head, gas price, balances and reads").singleElement()
                    .satisfies(batch -> assertThat(batch).startsWith("eth_chainId,eth_getBlockByNumber,eth_gasPrice,eth_getBalance")
                            .contains("eth_call"));
            for (int i = 0; i < 19; i++) snapshot.run(args("chain", "devnet"));
            assertThat(rpc.requests()).as("twenty snapshots, twenty round trips").hasSize(20)
                    .filteredOn(batch -> batch.contains("eth_chainId")).as("the chain id checked once").hasSize(1);
            assertThat(rpc.connections()).as("the connection is reused").isEqualTo(1);
        }
    }

    @Test
    void bad_input_is_a_clear_invalid_input() {
        assertThatThrownBy(() -> probes.get("chain.head").run(args("chain", "mainnet")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("unknown chain 'mainnet'").hasMessageContaining("devnet");
        assertThatThrownBy(() -> probes.get("chain.balance").run(args("account", "nobody")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("unknown account 'nobody'");
        assertThatThrownBy(() -> probes.get("chain.read").run(args("contract", "vault", "function", "paused")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("unknown contract 'vault'");
        assertThatThrownBy(() -> probes.get("chain.read").run(args("contract", "setRegistry", "function", "selfdestruct")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("no read function 'selfdestruct'");
        assertThatThrownBy(() -> probes.get("chain.read").run(args("contract", "setRegistry", "function", "authorizedSequencers", "args", "0x1234")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("'0x1234' is not a valid address");
        assertThatThrownBy(() -> probes.get("chain.read").run(args("contract", "manifestDispatcher", "function", "hasRole", "args", "0x12 0x00")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("not a valid bytes32");
        assertThatThrownBy(() -> probes.get("chain.receipt").run(args("tx", "0xabc")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("64 hex digits");
    }

    @Test
    void a_wrong_chain_id_or_a_missing_contract_is_reported_clearly() {
        ChainsConfig config = devnet.chainsConfig();
        var spec = config.chains().get("devnet");
        ChainsConfig wrong = new ChainsConfig(Map.of("devnet", new ChainsConfig.ChainSpec(spec.rpcUrls(), 8453, 1, 60, 1000,
                null, null, null)), config.accounts(), config.contracts(), config.signers(), config.limits());
        try (ChainOperations ops = new ChainOperations(wrong, null, Clock.systemUTC(), executor)) {
            var result = ops.probes().get("chain.head").run(args("chain", "devnet"));
            assertThat(result.status()).isEqualTo(Status.ERROR);
            assertThat(result.summary()).contains("reports chain id 31337 but chains.devnet.chainId is 8453");
        }
        var oracle = config.contracts().get("l2OutputOracle");
        ChainsConfig nowhere = new ChainsConfig(config.chains(), config.accounts(), Map.of("l2OutputOracle",
                new ChainsConfig.ContractSpec("devnet", "0x000000000000000000000000000000000000dEaD", oracle.reads(), List.of(), List.of(), null)),
                config.signers(), config.limits());
        try (ChainOperations ops = new ChainOperations(nowhere, null, Clock.systemUTC(), executor)) {
            var result = ops.probes().get("chain.read").run(args("contract", "l2OutputOracle", "function", "paused"));
            assertThat(result.status()).isEqualTo(Status.WARNING);
            assertThat(result.summary()).contains("returned no data");
        }
    }

    @Test
    void receipts_report_their_status() {
        String tx = devnet.rpc().call("eth_getBlockByNumber", "0x5", false).path("transactions").get(0).asText();
        var result = probes.get("chain.receipt").run(args("chain", "devnet", "tx", tx));
        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.summary()).contains("succeeded");
        assertThat(probes.get("chain.receipt").run(args("chain", "devnet", "tx", "0x" + "0".repeat(64))).status()).isEqualTo(Status.WARNING);
    }
}
