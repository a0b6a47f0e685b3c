package dev.firebreak.probe.chain;

import dev.firebreak.probe.Execution;
import dev.firebreak.testing.Eventually;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.FixedArguments;
import dev.firebreak.probe.PlannedAction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.firebreak.store.Database;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class ChainActionsTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private DemoChain devnet;
    private ChainsConfig config;
    private Database database;
    private SignedTransactions store;
    private ChainOperations operations;

    @BeforeAll
    void start(DemoChain devnet, @TempDir Path dir) {
        this.devnet = devnet;
        this.config = devnet.chainsConfig();
        database = Database.open("jdbc:sqlite:" + dir.resolve("firebreak.db"));
        store = new SignedTransactions(database.dataSource());
        operations = new ChainOperations(config, store, Clock.systemUTC(), executor);
    }

    @AfterAll
    void stop() {
        operations.close();
        executor.shutdownNow();
        database.close();
    }

    private Action action(String name) {
        return operations.actions().get(name);
    }

    private static Map<String, String> args(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }

    private long nonce(String account) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", devnet.address(account), "pending").asText());
    }

    private String read(String contract, String function, String args) {
        return operations.probes().get("chain.read").run(args("contract", contract, "function", function, "args", args)).summary();
    }

    private static String key() {
        return "approval-" + System.nanoTime();
    }

    @Test
    void plan_shows_chain_target_function_arguments_and_value_and_binds_them() {
        PlannedAction plan = action("chain.grantRole").plan(args("contract", "manifestDispatcher",
                "role", "GOVERNANCE_ROLE", "account", "batcher"));
        String preview = plan.preview().plainText();
        assertThat(preview).contains("31337").contains(devnet.address("manifestDispatcher"))
                .contains("grantRole(bytes32,address)").contains(devnet.address("batcher")).contains("0 ETH")
                .contains("hasRole");
        assertThat(plan.canonical()).containsEntry("chainId", "31337").containsEntry("value", "0")
                .containsEntry("target", devnet.address("manifestDispatcher"))
                .containsEntry("function", "grantRole(bytes32,address)");
        assertThat(plan.canonical().get("calldata")).startsWith("0x2f2ff15d");
        for (String key : plan.canonical().keySet()) {
            Map<String, String> changed = new TreeMap<>(plan.canonical());
            changed.put(key, changed.get(key) + "0");
            assertThat(new PlannedAction(plan.action(), changed, plan.preview()).hash()).as(key).isNotEqualTo(plan.hash());
        }
        PlannedAction otherAccount = action("chain.grantRole").plan(args("contract", "manifestDispatcher",
                "role", "GOVERNANCE_ROLE", "account", "proposer"));
        assertThat(otherAccount.hash()).isNotEqualTo(plan.hash());
        assertThat(action("chain.topUp").plan(args("account", "batcher", "amount", "1")).hash())
                .isNotEqualTo(action("chain.topUp").plan(args("account", "batcher", "amount", "2")).hash());
        assertThat(plan.canonicalJson()).doesNotContain(DemoChain.class.getSimpleName()).doesNotContain(devnet.env().get("FIREBREAK_GUARDIAN_KEY").substring(2));
    }

    @Test
    void pause_is_sent_once_confirmed_and_read_back() {
        long before = nonce("guardian");
        PlannedAction plan = action("chain.pause").plan(args("contract", "pilOrchestrator"));
        String key = key();
        ActionResult result = action("chain.pause").execute(plan, Execution.approved(plan, key));
        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains("isPaused() == true: holds");
        var stored = store.find(key).orElseThrow();
        assertThat(result.summary()).contains(stored.txHash());
        assertThat(stored.broadcastAt()).isNotNull();
        assertThat(read("pilOrchestrator", "isPaused", "")).endsWith("= true");
        assertThat(nonce("guardian")).isEqualTo(before + 1);
        assertThat(operations.probes().get("chain.events").run(args("contract", "pilOrchestrator", "event", "Paused", "blocks", "5"))
                .details().plainText()).contains("account=" + devnet.address("guardian").toLowerCase());

        ActionResult again = action("chain.pause").execute(plan, Execution.approved(plan, key));
        assertThat(again.succeeded()).isTrue();
        assertThat(again.summary()).contains(stored.txHash());
        assertThat(nonce("guardian")).as("no second transaction").isEqualTo(before + 1);

        assertThatThrownBy(() -> action("chain.pause").plan(args("contract", "pilOrchestrator")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("already paused").hasMessageContaining("Nothing was sent");
        PlannedAction unpause = action("chain.unpause").plan(args("contract", "pilOrchestrator"));
        ActionResult unpaused = action("chain.unpause").execute(unpause, Execution.approved(unpause, key()));
        assertThat(unpaused.summary()).contains("isPaused() == false: holds");
    }

    @Test
    void after_a_crash_between_storing_and_broadcasting_the_same_bytes_are_sent() {
        ChainDirectory directory = new ChainDirectory(config);
        TransactionSender sender = new TransactionSender(directory, store, Clock.systemUTC());
        ChainIntents intents = new ChainIntents(directory);
        Action pause = new ChainTransactionAction("chain.pause", intents::pause, directory, sender, null);
        PlannedAction plan = pause.plan(args("contract", "l2OutputOracle"));
        String key = key();
        long before = nonce("guardian");
        TransactionIntent intent = intents.pause(TransactionIntent.inputsOf(plan.canonical())).intent();
        var stored = sender.signAndStore(intent, plan.hash(), key, sender.simulate(intent).gas(), "false");
        assertThat(nonce("guardian")).as("signed and stored, not yet sent").isEqualTo(before);

        ActionResult result = pause.execute(plan, Execution.approved(plan, key));
        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains(stored.txHash()).contains("paused() == true: holds");
        assertThat(nonce("guardian")).isEqualTo(before + 1);
        directory.close();
    }

    @Test
    void a_rebroadcast_of_a_pending_transaction_counts_as_sent_and_waits_for_confirmations() throws Exception {
        ChainsConfig threeConfirmations = withChain(config, spec -> new ChainsConfig.ChainSpec(spec.rpcUrls(), spec.chainId(), 3,
                spec.stallAfterSeconds(), spec.timeoutMillis(), spec.opNodeUrl(), spec.maxSafeLag(), spec.maxFinalizedLag()));
        ChainDirectory directory = new ChainDirectory(threeConfirmations);
        TransactionSender sender = new TransactionSender(directory, store, Clock.systemUTC());
        ChainIntents intents = new ChainIntents(directory);
        Action pause = new ChainTransactionAction("chain.pause", intents::pause, directory, sender, null);
        PlannedAction plan = pause.plan(args("contract", "manifestDispatcher"));
        String key = key();
        TransactionIntent intent = intents.pause(TransactionIntent.inputsOf(plan.canonical())).intent();
        devnet.rpc().call("evm_setAutomine", false);
        var stored = sender.signAndStore(intent, plan.hash(), key, sender.simulate(intent).gas(), "false");
        sender.broadcast("devnet", stored);   // sent, then the process "crashed" before the receipt

        CompletableFuture<ActionResult> execution = CompletableFuture.supplyAsync(() -> pause.execute(plan, Execution.approved(plan, key)), executor);
        devnet.rpc().call("anvil_mine", "0x1");
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", stored.txHash()).isNull(), Duration.ofSeconds(10),
                "for the re-sent transaction's receipt on the node");
        assertThat(execution).as("one confirmation of three").isNotDone();
        devnet.rpc().call("anvil_mine", "0x2");
        ActionResult result = execution.get(15, TimeUnit.SECONDS);
        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains(stored.txHash()).contains("3 confirmation(s)").contains("paused() == true: holds");
        directory.close();
    }

    @Test
    void a_nonce_taken_by_another_transaction_is_reported_not_replaced() {
        ChainDirectory directory = new ChainDirectory(config);
        TransactionSender sender = new TransactionSender(directory, store, Clock.systemUTC());
        ChainIntents intents = new ChainIntents(directory);
        Action pause = new ChainTransactionAction("chain.pause", intents::pause, directory, sender, null);
        PlannedAction plan = pause.plan(args("contract", "l2OutputOracle"));
        String key = key();
        TransactionIntent intent = intents.pause(TransactionIntent.inputsOf(plan.canonical())).intent();
        sender.signAndStore(intent, plan.hash(), key, sender.simulate(intent).gas(), "false");
        // meanwhile another approved action used the same nonce
        ActionResult other = action("chain.pause").execute(action("chain.pause").plan(args("contract", "pilOrchestrator")), approvedAs(key()));
        assertThat(other.succeeded()).isTrue();
        long after = nonce("guardian");

        ActionResult result = pause.execute(plan, Execution.approved(plan, key));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.summary()).contains("used by another transaction");
        assertThat(nonce("guardian")).isEqualTo(after);
        assertThat(read("l2OutputOracle", "paused", "")).endsWith("= false");
        directory.close();
    }

    @Test
    void a_revert_found_by_the_simulation_before_sending_sends_nothing() {
        PlannedAction first = action("chain.pause").plan(args("contract", "l2OutputOracle"));
        PlannedAction second = action("chain.pause").plan(args("contract", "l2OutputOracle"));
        assertThat(action("chain.pause").execute(first, Execution.approved(first, key())).succeeded()).isTrue();
        long before = nonce("guardian");
        ActionResult result = action("chain.pause").execute(second, Execution.approved(second, key()));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.summary()).contains("already paused").contains("not sent");
        assertThat(nonce("guardian")).isEqualTo(before);
    }

    @Test
    void roles_are_granted_and_revoked_and_sequencers_deauthorised() {
        ActionResult granted = action("chain.grantRole").execute(action("chain.grantRole").plan(args("contract", "manifestDispatcher",
                "role", "GOVERNANCE_ROLE", "account", "batcher")), approvedAs(key()));
        assertThat(granted.summary()).contains("hasRole(GOVERNANCE_ROLE, " + devnet.address("batcher") + ") == true: holds");
        ActionResult revoked = action("chain.revokeRole").execute(action("chain.revokeRole").plan(args("contract", "manifestDispatcher",
                "role", "GOVERNANCE_ROLE", "account", devnet.address("batcher"))), approvedAs(key()));
        assertThat(revoked.succeeded()).as(revoked.summary()).isTrue();
        assertThat(read("manifestDispatcher", "hasRole", "GOVERNANCE_ROLE " + devnet.address("batcher"))).endsWith("= false");
        ActionResult deauthorised = action("chain.deauthorizeSequencer").execute(action("chain.deauthorizeSequencer")
                .plan(args("contract", "setRegistry", "sequencer", "sequencer")), approvedAs(key()));
        assertThat(deauthorised.summary()).contains("authorizedSequencers(" + devnet.address("sequencer") + ") == false: holds");
        ActionResult listed = action("chain.call").execute(action("chain.call").plan(args("contract", "setRegistry",
                "function", "setSequencerAuthorization", "args", devnet.address("sequencer") + " true")), approvedAs(key()));
        assertThat(listed.succeeded()).as(listed.summary()).isTrue();
        assertThat(read("setRegistry", "authorizedSequencers", devnet.address("sequencer"))).endsWith("= true");
    }

    @Test
    void top_up_sends_value_to_an_allow_listed_account_within_the_cap() {
        PlannedAction plan = action("chain.topUp").plan(args("account", "batcher", "amount", "2 ETH"));
        assertThat(plan.canonical()).containsEntry("value", "2000000000000000000").containsEntry("target", devnet.address("batcher"));
        ActionResult result = action("chain.topUp").execute(plan, Execution.approved(plan, key()));
        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains("rises by >= 2 ETH: holds (balance was 0.5 ETH, now 2.5 ETH)");
    }

    @Test
    void a_top_up_is_verified_by_the_rise_of_the_balance_from_before_sending_not_by_where_it_ends() throws Exception {
        devnet.rpc().call("evm_setAutomine", false);
        PlannedAction plan = action("chain.topUp").plan(args("account", "batcher", "amount", "1"));
        assertThat(plan.preview().plainText()).contains("balance of batcher rises by >= 1 ETH");
        String key = key();
        CompletableFuture<ActionResult> execution = CompletableFuture.supplyAsync(() ->
                action("chain.topUp").execute(plan, Execution.approved(plan, key)), executor);
        Eventually.until(() -> store.find(key).map(s -> s.broadcastAt() != null).orElse(false), "for the top-up to be sent");
        assertThat(store.find(key).orElseThrow().beforeValue()).isEqualTo("500000000000000000");
        // meanwhile the batcher spends: 0.5 ETH becomes 0.2 ETH before the top-up is mined
        devnet.rpc().call("anvil_setBalance", devnet.address("batcher"), "0x" + new java.math.BigInteger("200000000000000000").toString(16));
        devnet.rpc().call("anvil_mine", "0x1");
        ActionResult result = execution.get(15, TimeUnit.SECONDS);
        assertThat(result.succeeded()).as("1.2 ETH is above 1 ETH, but it rose by 0.7 ETH only").isFalse();
        assertThat(result.summary()).contains("balance of batcher rises by >= 1 ETH: does NOT hold (balance was 0.5 ETH, now 1.2 ETH, "
                + "a change of 0.7 ETH)");
    }

    @Test
    void an_action_that_would_change_nothing_is_neither_planned_nor_sent() {
        Map<String, String> grant = args("contract", "manifestDispatcher", "role", "GOVERNANCE_ROLE", "account", "batcher");
        PlannedAction first = action("chain.grantRole").plan(grant);
        PlannedAction second = action("chain.grantRole").plan(grant);
        assertThat(action("chain.grantRole").execute(first, Execution.approved(first, key())).succeeded()).isTrue();
        long before = nonce("guardian");

        ActionResult late = action("chain.grantRole").execute(second, Execution.approved(second, key()));
        assertThat(late.succeeded()).isFalse();
        assertThat(late.summary()).isEqualTo("not sent: manifestDispatcher.hasRole(GOVERNANCE_ROLE, " + devnet.address("batcher")
                + ") == true already holds (read true), so this action would change nothing");
        assertThatThrownBy(() -> action("chain.grantRole").plan(grant)).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("already holds (read true), so this action would change nothing. Nothing was sent.");
        assertThat(nonce("guardian")).as("no transaction for a change already made").isEqualTo(before);
    }

    @Test
    void bad_input_is_rejected_and_nothing_is_sent() throws IOException {
        long guardian = nonce("guardian");
        long funder = nonce("funder");
        assertInvalid("chain.topUp", args("account", "nobody", "amount", "1"), "unknown account 'nobody'");
        assertInvalid("chain.pause", args("contract", "vault"), "unknown contract 'vault'");
        assertInvalid("chain.call", args("contract", "setRegistry", "function", "upgradeTo", "args", devnet.address("batcher")),
                "no action function 'upgradeTo'");
        assertInvalid("chain.grantRole", args("contract", "manifestDispatcher", "role", "GOVERNANCE_ROLE", "account", "0x12"),
                "'0x12' is not an address");
        assertInvalid("chain.call", args("contract", "setRegistry", "function", "setSequencerAuthorization",
                "args", devnet.address("sequencer") + " maybe"), "'maybe' is not a valid bool");
        assertInvalid("chain.call", args("contract", "setRegistry", "function", "setSequencerAuthorization",
                "args", devnet.address("sequencer")), "takes 2 argument(s)");
        assertInvalid("chain.topUp", args("account", "batcher", "amount", "6"), "over the top-up cap of 5 ETH");
        assertInvalid("chain.topUp", args("account", "batcher", "amount", "-1"), "not a positive ETH amount");
        assertInvalid("chain.unpause", args("contract", "pilOrchestrator"), "reverted: execution reverted: not paused");

        ChainsConfig onlyBatcher = new ChainsConfig(config.chains(), config.accounts(), config.contracts(), config.signers(),
                new ChainsConfig.ActionLimits(new ChainsConfig.ActionLimits.TopUp("funder", List.of("batcher"), config.limits().topUp().capEth())));
        assertInvalid(onlyBatcher, "chain.topUp", args("account", "proposer", "amount", "1"), "not on the top-up allow-list");

        ChainsConfig noKeys = new ChainsConfig(config.chains(), config.accounts(), config.contracts(),
                Map.of("guardian", new ChainsConfig.SignerSpec(new dev.firebreak.kernel.Secret("env FIREBREAK_GUARDIAN_KEY", "")),
                        "funder", new ChainsConfig.SignerSpec(new dev.firebreak.kernel.Secret("env FIREBREAK_FUNDER_KEY", ""))),
                config.limits());
        assertInvalid(noKeys, "chain.pause", args("contract", "pilOrchestrator"), "signer 'guardian' has no key");

        ChainsConfig wrongChain = withChain(config, spec -> new ChainsConfig.ChainSpec(spec.rpcUrls(), 8453, 1, 60, 1000, null, null, null));
        assertInvalid(wrongChain, "chain.pause", args("contract", "pilOrchestrator"), "reports chain id 31337 but chains.devnet.chainId is 8453");

        try (ServerSocket hanging = new ServerSocket(0); ServerSocket closed = new ServerSocket(0)) {
            int closedPort = closed.getLocalPort();
            closed.close();
            ChainsConfig down = withChain(config, spec -> new ChainsConfig.ChainSpec(
                    List.of("http://127.0.0.1:" + closedPort + "/key-abc", "http://127.0.0.1:" + hanging.getLocalPort() + "/key-def"),
                    31337, 1, 60, 500, null, null, null));
            String message = assertInvalid(down, "chain.pause", args("contract", "pilOrchestrator"), "no RPC endpoint answered");
            assertThat(message).contains("refused the connection").contains("timed out").doesNotContain("key-abc").doesNotContain("key-def");
        }
        assertThat(nonce("guardian")).isEqualTo(guardian);
        assertThat(nonce("funder")).isEqualTo(funder);
    }

    @Test
    void a_value_planning_refuses_is_refused_by_validation_with_the_same_message() {
        for (var bad : List.of(Map.entry("chain.topUp", args("account", "batcher", "amount", "6")),
                Map.entry("chain.topUp", args("account", "nobody", "amount", "1")),
                Map.entry("chain.pause", args("contract", "vault")),
                Map.entry("chain.grantRole", args("contract", "manifestDispatcher", "role", "GOVERNANCE_ROLE", "account", "0x12")),
                Map.entry("chain.call", args("contract", "setRegistry", "function", "upgradeTo", "args", devnet.address("batcher"))))) {
            Action action = action(bad.getKey());
            String refused = catchThrowableOfType(InvalidInput.class, () -> action.plan(bad.getValue())).getMessage();
            assertThat(FixedArguments.problem(action, bad.getValue(), Set.of())).as(bad.getKey() + " " + bad.getValue())
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        assertThat(FixedArguments.problem(action("chain.topUp"), args("amount", "6"), Set.of("account")))
                .as("the amount stands on its own: judged although chat names the account")
                .hasValueSatisfying(p -> assertThat(p.argument()).contains("amount"));
        assertThat(FixedArguments.problem(action("chain.grantRole"), args("contract", "pilOrchestrator", "role", "RELAYR_ROLE"), Set.of("account")))
                .as("the role is judged against the contract although chat names the account")
                .hasValueSatisfying(p -> assertThat(p.message()).startsWith("unknown role 'RELAYR_ROLE'"));
        assertThat(FixedArguments.problem(action("chain.grantRole"), args("role", "RELAYR_ROLE"), Set.of("contract", "account")))
                .as("a role can only be judged for the contract chat names").isEmpty();
    }

    @Test
    void validation_needs_neither_the_signers_key_nor_the_chain_which_planning_reads() throws IOException {
        ChainsConfig noKeys = new ChainsConfig(config.chains(), config.accounts(), config.contracts(),
                Map.of("guardian", new ChainsConfig.SignerSpec(new dev.firebreak.kernel.Secret("env FIREBREAK_GUARDIAN_KEY", "")),
                        "funder", new ChainsConfig.SignerSpec(new dev.firebreak.kernel.Secret("env FIREBREAK_FUNDER_KEY", ""))),
                config.limits());
        try (ChainOperations ops = new ChainOperations(noKeys, store, Clock.systemUTC(), executor)) {
            Action pause = ops.actions().get("chain.pause");
            assertThat(FixedArguments.problem(pause, args("contract", "pilOrchestrator"), Set.of()))
                    .as("a missing key is the environment's, said when the action is planned").isEmpty();
            assertThatThrownBy(() -> pause.plan(args("contract", "pilOrchestrator"))).hasMessageContaining("signer 'guardian' has no key");
        }
        try (ServerSocket closed = new ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            ChainsConfig down = withChain(config, spec -> new ChainsConfig.ChainSpec(List.of("http://127.0.0.1:" + port + "/"),
                    31337, 1, 60, 500, null, null, null));
            try (ChainOperations ops = new ChainOperations(down, store, Clock.systemUTC(), executor)) {
                Action topUp = ops.actions().get("chain.topUp");
                assertThat(FixedArguments.problem(topUp, args("account", "batcher", "amount", "1"), Set.of())).isEmpty();
                assertThatThrownBy(() -> topUp.plan(args("account", "batcher", "amount", "1"))).hasMessageContaining("no RPC endpoint answered");
            }
        }
    }

    @Test
    void a_failed_or_hanging_rpc_falls_back_to_the_next_url() throws IOException {
        try (ServerSocket hanging = new ServerSocket(0)) {
            ChainsConfig fallback = withChain(config, spec -> new ChainsConfig.ChainSpec(
                    List.of("http://127.0.0.1:1/", "http://127.0.0.1:" + hanging.getLocalPort() + "/", devnet.rpcUrl()),
                    31337, 1, 60, 500, null, null, null));
            try (ChainOperations withFallback = new ChainOperations(fallback, store, Clock.systemUTC(), executor)) {
                var head = withFallback.probes().get("chain.head").run(args("chain", "devnet"));
                assertThat(head.summary()).contains("head " + devnet.rpc().blockNumber());
                PlannedAction plan = withFallback.actions().get("chain.pause").plan(args("contract", "pilOrchestrator"));
                assertThat(withFallback.actions().get("chain.pause").execute(plan, Execution.approved(plan, key())).succeeded()).isTrue();
            }
        }
    }

    private String assertInvalid(String action, Map<String, String> args, String expected) {
        return assertInvalid(config, action, args, expected);
    }

    private String assertInvalid(ChainsConfig variant, String action, Map<String, String> args, String expected) {
        try (ChainOperations ops = new ChainOperations(variant, store, Clock.systemUTC(), executor)) {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> ops.actions().get(action).plan(args));
            assertThat(thrown).isInstanceOf(InvalidInput.class).hasMessageContaining(expected);
            return thrown.getMessage();
        }
    }

    private static ChainsConfig withChain(ChainsConfig base, Function<ChainsConfig.ChainSpec, ChainsConfig.ChainSpec> change) {
        return new ChainsConfig(Map.of("devnet", change.apply(base.chains().get("devnet"))), base.accounts(), base.contracts(),
                base.signers(), base.limits());
    }

    /** Chain actions read only the execution key; the approval gate's hash check is the engine's. */
    private static Execution approvedAs(String key) {
        return new Execution.Approved(key, "approved-in-test", key);
    }
}
