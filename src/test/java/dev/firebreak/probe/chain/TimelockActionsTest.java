package dev.firebreak.probe.chain;

import dev.firebreak.app.Firebreak;
import dev.firebreak.command.CommandLineParser;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.FixedArguments;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.store.Database;
import dev.firebreak.testing.Eventually;
import org.junit.jupiter.api.AfterAll;
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
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Timelock operations on anvil against OpenZeppelin's real TimelockController (the npm release's
 * build): the demo's, whose proposer and executor is the demo Safe, and one whose proposer is the
 * guardian's key. The PIL orchestrator's unpause is scheduled, refused before its ETA, and executed
 * once after it; cancelled, unknown and malformed operations and hostile delays are refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class TimelockActionsTest {

    private static final Duration DELAY = Duration.ofMinutes(2);

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private DemoChain devnet;
    private Database database;
    private SignedTransactions store;
    private ChainsConfig throughSafe;
    private ChainsConfig throughKey;
    private ChainOperations safeOps;
    private ChainOperations keyOps;
    private ChainOperations.ActionLines lines;
    private String keyTimelock;

    @BeforeAll
    void start(DemoChain devnet, @TempDir Path dir) {
        this.devnet = devnet;
        var loaded = new ConfigLoader(Path.of("."), devnet.env()).load();
        lines = Firebreak.actionLines(new CommandLineParser(loaded.commands(), Map.of(), Map.of()));
        throughSafe = devnet.chainsConfig();
        assertThat(throughSafe.timelocks()).containsKey("pilTimelock");
        keyTimelock = devnet.deployTimelock(DELAY, devnet.address("guardian"));
        // the key's timelock may unpause the orchestrator too: it holds DEFAULT_ADMIN_ROLE, as the demo's does
        sendFrom(devnet.address("guardian"), devnet.address("pilOrchestrator"), FunctionEncoder.encode(new Function("grantRole",
                List.of(new Bytes32(new byte[32]), new Address(keyTimelock)), List.of())));
        throughKey = throughSafe.withTimelocks(Map.of("keyTimelock", new ChainsConfig.TimelockSpec("devnet", keyTimelock,
                new ChainsConfig.Proposer(null, "guardian"), DELAY, Duration.ofMinutes(10), Map.of("pilOrchestrator", List.of("unpause()")))));
        assertThat(throughKey.problems()).isEmpty();
        database = Database.open("jdbc:sqlite:" + dir.resolve("firebreak.db"));
        store = new SignedTransactions(database.dataSource());
        safeOps = new ChainOperations(throughSafe, store, Clock.systemUTC(), executor, lines);
        keyOps = new ChainOperations(throughKey, store, Clock.systemUTC(), executor, lines);
    }

    @AfterAll
    void stop() {
        safeOps.close();
        keyOps.close();
        executor.shutdownNow();
        database.close();
    }

    @BeforeEach
    void pausedOrchestrator() {
        sendFrom(devnet.address("guardian"), devnet.address("pilOrchestrator"), "0x8456cb59");   // pause()
        assertThat(isPaused()).isTrue();
    }

    @Test
    void the_operation_id_is_the_timelocks_own_hash_and_the_request_shows_id_delay_and_eta() {
        PlannedAction plan = schedule(keyOps).plan(args("action", "unpause pilOrchestrator"));
        String id = operationId(plan);
        Timelock.Operation operation = new Timelock.Operation(devnet.address("pilOrchestrator"), BigInteger.ZERO, "0x3f4ba83a",
                Timelock.ZERO, Timelock.salt(0));
        assertThat(id).isEqualTo(operation.id()).isEqualTo(call(keyTimelock, FunctionEncoder.encode(new Function("hashOperation",
                List.of(new Address(operation.target()), new org.web3j.abi.datatypes.generated.Uint256(0),
                        new org.web3j.abi.datatypes.DynamicBytes(Numeric.hexStringToByteArray("0x3f4ba83a")),
                        new Bytes32(new byte[32]), new Bytes32(Numeric.hexStringToByteArray(Timelock.salt(0)))), List.of()))));
        String preview = plan.preview().plainText();
        assertThat(preview).contains("Operation id: " + id + " (the timelock's own hashOperation agrees)")
                .contains("Delay: 2m (120 s)").contains("ETA: about ").contains("Schedules: unpause pilOrchestrator")
                .contains("From: guardian " + devnet.address("guardian"))
                .contains("Function: schedule(address,uint256,bytes,bytes32,bytes32,uint256)");
        assertThat(plan.canonical()).containsEntry("input.action", "unpause pilOrchestrator").containsEntry("target", keyTimelock)
                .containsEntry("input.salt", Timelock.salt(0));
    }

    @Test
    void through_a_key_refused_before_the_eta_then_executed_once_with_both_post_conditions() {
        PlannedAction plan = schedule(keyOps).plan(args("action", "unpause pilOrchestrator"));
        String id = operationId(plan);
        ActionResult scheduled = schedule(keyOps).execute(plan, approved(plan, key(), new CopyOnWriteArrayList<>()));
        assertThat(scheduled.succeeded()).as(scheduled.summary()).isTrue();
        long eta = timestamp(keyTimelock, id);
        assertThat(scheduled.summary()).contains("operation " + id + " pending, ETA " + Instant.ofEpochSecond(eta))
                .contains("'s time + 120 s");
        assertThat(eta).isEqualTo(latestBlockTime() + 120);

        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", "unpause pilOrchestrator")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("is not ready: its ETA is " + Instant.ofEpochSecond(eta))
                .hasMessageContaining("from now");
        advance(60);
        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", id))).hasMessageContaining("is not ready");

        advance(61);
        PlannedAction run = execute(keyOps).plan(args("operation", id));
        assertThat(run.preview().plainText()).contains("Operation id: " + id).contains("ETA: " + Instant.ofEpochSecond(eta) + " (passed");
        String runKey = key();
        ActionResult executed = execute(keyOps).execute(run, approved(run, runKey, new CopyOnWriteArrayList<>()));
        assertThat(executed.succeeded()).as(executed.summary()).isTrue();
        assertThat(executed.summary()).contains("operation " + id + " done").contains("pilOrchestrator.isPaused() == false: holds (was true, now false)");
        assertThat(isPaused()).isFalse();
        assertThat(timestamp(keyTimelock, id)).as("isOperationDone").isEqualTo(1);

        long guardianNonce = nonce(devnet.address("guardian"));
        ActionResult again = execute(keyOps).execute(run, approved(run, runKey, new CopyOnWriteArrayList<>()));
        assertThat(again.succeeded()).as(again.summary()).isTrue();
        assertThat(again.summary()).contains(store.find(runKey).orElseThrow().txHash());
        assertThat(nonce(devnet.address("guardian"))).as("the same execution sends nothing new").isEqualTo(guardianNonce);
        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", id))).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("is already done");
    }

    @Test
    void through_the_safe_the_owners_approve_the_schedule_and_the_execution_on_chain() throws Exception {
        String timelock = devnet.address("pilTimelock");
        PlannedAction plan = schedule(safeOps).plan(args("action", "unpause pilOrchestrator"));
        String id = operationId(plan);
        assertThat(plan.canonical()).containsEntry("safe", "pilSafe").containsEntry("from", devnet.address("pilSafe"));
        assertThat(plan.preview().plainText()).contains("through the Safe pilSafe").contains("Operation id: " + id)
                .contains("Delay: 2m (120 s)");
        ActionResult scheduled = signedByTwoOwners(schedule(safeOps), plan);
        assertThat(scheduled.succeeded()).as(scheduled.summary()).isTrue();
        assertThat(scheduled.summary()).contains("operation " + id + " pending, ETA");
        assertThat(timestamp(timelock, id)).isGreaterThan(1);

        advance(121);
        PlannedAction run = execute(safeOps).plan(args("operation", id));
        assertThat(run.canonical()).containsEntry("safe", "pilSafe").containsEntry("target", timelock);
        ActionResult executed = signedByTwoOwners(execute(safeOps), run);
        assertThat(executed.succeeded()).as(executed.summary()).isTrue();
        assertThat(executed.summary()).contains("isPaused() == false: holds");
        assertThat(isPaused()).isFalse();
        assertThat(timestamp(timelock, id)).isEqualTo(1);
    }

    @Test
    void cancelled_unknown_and_malformed_operations_are_refused() {
        PlannedAction plan = schedule(keyOps).plan(args("action", "unpause pilOrchestrator"));
        String id = operationId(plan);
        assertThat(schedule(keyOps).execute(plan, approved(plan, key(), new CopyOnWriteArrayList<>())).succeeded()).isTrue();
        // the guardian, a proposer, holds CANCELLER_ROLE and cancels it behind Firebreak's back
        sendFrom(devnet.address("guardian"), keyTimelock, FunctionEncoder.encode(new Function("cancel",
                List.of(new Bytes32(Numeric.hexStringToByteArray(id))), List.of())));
        advance(121);
        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", id))).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("is not pending: it was cancelled").hasMessageContaining("/action schedule unpause pilOrchestrator");

        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", "0x" + "ab".repeat(32))))
                .hasMessageContaining("unknown operation '0x" + "ab".repeat(32) + "'");
        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", "0x12zz"))).hasMessageContaining("is not an operation id");
        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", "0x" + "1".repeat(65)))).hasMessageContaining("is not an operation id");
        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", "pause setRegistry; drop table")))
                .hasMessageContaining("unknown operation");
        // once cancelled, the same call is scheduled again under the next salt, a new operation
        PlannedAction again = schedule(keyOps).plan(args("action", "unpause pilOrchestrator"));
        assertThat(again.canonical()).containsEntry("input.salt", Timelock.salt(0));
        assertThat(operationId(again)).as("a cancelled operation's id is free again").isEqualTo(id);
    }

    @Test
    void a_value_planning_refuses_is_refused_by_validation_with_the_same_message() {
        for (var bad : List.of(Map.entry(schedule(keyOps), args("action", "unpause pilOrchestrator delay=1m")),
                Map.entry(schedule(keyOps), args("action", "unpause pilOrchestrator delay=soon")),
                Map.entry(schedule(keyOps), args("action", "pause pilOrchestrator")),
                Map.entry(schedule(keyOps), args("action", "unpause pilOrchestrater")),
                Map.entry(execute(keyOps), args("operation", "0x12zz")))) {
            String refused = catchThrowableOfType(InvalidInput.class, () -> bad.getKey().plan(bad.getValue())).getMessage();
            assertThat(FixedArguments.problem(bad.getKey(), bad.getValue(), Set.of())).as(bad.getValue().toString())
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        String unknown = "0x" + "ab".repeat(32);
        assertThat(FixedArguments.problem(execute(keyOps), args("operation", unknown), Set.of()))
                .as("which operations exist is the store's to say, when it is planned").isEmpty();
        assertThatThrownBy(() -> execute(keyOps).plan(args("operation", unknown))).hasMessageContaining("unknown operation");
        // bot/chains.yaml says 1m, the contract 2m: the contract's minimum is read when it is planned
        ChainsConfig wrongDelay = throughKey.withTimelocks(Map.of("keyTimelock", new ChainsConfig.TimelockSpec("devnet", keyTimelock,
                new ChainsConfig.Proposer(null, "guardian"), Duration.ofMinutes(1), null, Map.of("pilOrchestrator", List.of("unpause()")))));
        try (ChainOperations ops = new ChainOperations(wrongDelay, store, Clock.systemUTC(), executor, lines)) {
            assertThat(FixedArguments.problem(schedule(ops), args("action", "unpause pilOrchestrator delay=1m"), Set.of())).isEmpty();
            assertThatThrownBy(() -> schedule(ops).plan(args("action", "unpause pilOrchestrator delay=1m")))
                    .hasMessageContaining("getMinDelay() of 2m");
        }
    }

    @Test
    void hostile_delays_and_actions_are_refused_and_nothing_is_sent() {
        long guardianNonce = nonce(devnet.address("guardian"));
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "unpause pilOrchestrator delay=1m")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("below the minDelay 2m");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "unpause pilOrchestrator delay=99999999999999999999999d")))
                .hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "unpause pilOrchestrator delay=100000000d")))
                .hasMessageContaining("longer than 30d");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "unpause pilOrchestrator delay=soon")))
                .hasMessageContaining("is not a duration");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "unpause pilOrchestrator delay=2m delay=3m")))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "pause pilOrchestrator")))
                .hasMessageContaining("pilOrchestrator.pause() does not go through a timelock")
                .hasMessageContaining("pilOrchestrator.unpause() via keyTimelock");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "schedule unpause pilOrchestrator")))
                .hasMessageContaining("is not a chain action that can go through a timelock");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "unpause")))
                .hasMessageContaining("is not an action as /action takes it");
        assertThatThrownBy(() -> schedule(keyOps).plan(args("action", "top-up batcher 1")))
                .isInstanceOf(InvalidInput.class);
        // bot/chains.yaml says 1m, the contract 2m: the contract's minimum decides, and the check says so
        ChainsConfig wrongDelay = throughKey.withTimelocks(Map.of("keyTimelock", new ChainsConfig.TimelockSpec("devnet", keyTimelock,
                new ChainsConfig.Proposer(null, "guardian"), Duration.ofMinutes(1), null, Map.of("pilOrchestrator", List.of("unpause()")))));
        try (ChainOperations ops = new ChainOperations(wrongDelay, store, Clock.systemUTC(), executor, lines)) {
            assertThatThrownBy(() -> ops.actions().get("chain.schedule").plan(args("action", "unpause pilOrchestrator")))
                    .hasMessageContaining("below the timelock keyTimelock's getMinDelay() of 2m")
                    .hasMessageContaining("bot/chains.yaml says minDelay 1m");
            assertThat(ops.timelockDelayWarnings()).singleElement().asString()
                    .startsWith("timelocks.keyTimelock.minDelay: 1m is configured, but the timelock at " + keyTimelock
                            + " says getMinDelay() = 120 s");
        }
        assertThat(keyOps.timelockDelayWarnings()).isEmpty();
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce);
    }

    private ActionResult signedByTwoOwners(Action action, PlannedAction plan) throws Exception {
        List<String> notes = new CopyOnWriteArrayList<>();
        CompletableFuture<ActionResult> execution = CompletableFuture.supplyAsync(
                () -> action.execute(plan, approved(plan, key(), notes)), executor);
        Eventually.until(() -> !notes.isEmpty(), "for the owners to be asked");
        String safeTxHash = plan.canonical().get("safeTxHash");
        approveHash("owner1", safeTxHash);
        approveHash("owner2", safeTxHash);
        return execution.get(30, TimeUnit.SECONDS);
    }

    private Action schedule(ChainOperations ops) {
        return ops.actions().get("chain.schedule");
    }

    private Action execute(ChainOperations ops) {
        return ops.actions().get("chain.executeScheduled");
    }

    private static String operationId(PlannedAction plan) {
        String described = plan.canonical().get("postCondition");
        int start = described.indexOf("getTimestamp(") + "getTimestamp(".length();
        return described.substring(start, start + 66);
    }

    private static Execution approved(PlannedAction plan, String key, List<String> notes) {
        return new Execution.Approved(key, plan.hash(), key, new Execution.Progress() {
            @Override
            public void sent(String what) {}

            @Override
            public void note(String what) {
                notes.add(what);
            }
        });
    }

    private static String key() {
        return "A-" + UUID.randomUUID();
    }

    private static Map<String, String> args(String key, String value) {
        return Map.of(key, value);
    }

    /** Moves the chain's clock on and mines a block at the new time. */
    private void advance(long seconds) {
        devnet.rpc().call("evm_increaseTime", seconds);
        devnet.rpc().call("evm_mine");
    }

    private void approveHash(String owner, String safeTxHash) {
        sendFrom(devnet.address(owner), devnet.address("pilSafe"), FunctionEncoder.encode(new Function("approveHash",
                List.of(new Bytes32(Numeric.hexStringToByteArray(safeTxHash))), List.of())));
    }

    /** anvil's development accounts are unlocked: eth_sendTransaction signs for them. */
    private void sendFrom(String from, String to, String data) {
        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", from, "to", to, "data", data)).asText();
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
        assertThat(devnet.rpc().call("eth_getTransactionReceipt", hash).path("status").asText()).as("transaction " + hash).isEqualTo("0x1");
    }

    private String call(String to, String data) {
        return devnet.rpc().call("eth_call", Map.of("to", to, "data", data), "latest").asText();
    }

    private long timestamp(String timelock, String id) {
        return new BigInteger(call(timelock, FunctionEncoder.encode(new Function(
                "getTimestamp", List.of(new Bytes32(Numeric.hexStringToByteArray(id))), List.of()))).substring(2), 16).longValueExact();
    }

    private long latestBlockTime() {
        return Long.decode(devnet.rpc().call("eth_getBlockByNumber", "latest", false).path("timestamp").asText());
    }

    private boolean isPaused() {
        return new BigInteger(call(devnet.address("pilOrchestrator"), "0xb187bd26").substring(2), 16).signum() != 0;
    }

    private long nonce(String address) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", address, "pending").asText());
    }
}
