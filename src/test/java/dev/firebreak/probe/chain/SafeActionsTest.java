package dev.firebreak.probe.chain;

import dev.firebreak.app.MutableClock;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.store.Database;
import dev.firebreak.kernel.Secret;
import dev.firebreak.testing.Eventually;
import dev.firebreak.testing.SafeTxServiceStandIn;
import org.web3j.crypto.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Chain actions through the demo's real Safe 1.4.1 (three owners, threshold 2) on anvil: the
 * plan's hashes equal the Safe's own, owners sign with approveHash, Firebreak relays
 * execTransaction from the guardian (not an owner) once, and refuses when the Safe moved on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class SafeActionsTest {

    /** anvil's development key 9: the delegate that proposes to the Transaction Service, not an owner. */
    private static final String PROPOSER_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private DemoChain devnet;
    private ChainsConfig config;
    private Database database;
    private SignedTransactions store;
    private ChainOperations operations;
    private String safe;

    @BeforeAll
    void start(DemoChain devnet, @TempDir Path dir) {
        this.devnet = devnet;
        // the Safe holds the pauser role; the guardian, Firebreak's own key, only relays
        config = DemoSafePauser.only(devnet).chainsConfig();
        assertThat(config.problems()).isEmpty();
        safe = devnet.address("pilSafe");
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

    @Test
    void the_plan_shows_the_safe_transaction_and_its_hashes_equal_the_safes_own() {
        PlannedAction plan = pause().plan(args("contract", "pilOrchestrator"));
        String safeTxHash = plan.canonical().get("safeTxHash");
        SafeTransaction transaction = new SafeTransaction(31337, safe, "1.4.1", devnet.address("pilOrchestrator"), BigInteger.ZERO,
                "0x8456cb59", 0, BigInteger.ZERO);
        assertThat(safeTxHash).isEqualTo(transaction.safeTxHash())
                .isEqualTo(call(safe, transaction.getTransactionHashCall()));
        assertThat(transaction.domainHash()).isEqualTo(call(safe, FunctionEncoder.encode(new Function("domainSeparator", List.of(), List.of()))));
        assertThat(plan.canonical()).containsEntry("safe", "pilSafe").containsEntry("safeNonce", "0").containsEntry("safeOperation", "0")
                .containsEntry("from", safe).containsEntry("calldata", "0x8456cb59");
        assertThat(plan.canonical().get("safeSigners")).startsWith("2 of ").contains(devnet.address("owner2").toLowerCase());
        String preview = plan.preview().plainText();
        assertThat(preview).contains(safeTxHash).contains(transaction.domainHash()).contains(transaction.messageHash())
                .contains("version 1.4.1, nonce 0").contains("threshold 2").contains("from the Safe's address: succeeded")
                .contains(devnet.address("guardian"));
    }

    @Test
    void owners_sign_with_approve_hash_and_the_guardian_relays_exec_transaction_once() throws Exception {
        PlannedAction plan = pause().plan(args("contract", "pilOrchestrator"));
        String safeTxHash = plan.canonical().get("safeTxHash");
        String key = key();
        List<String> notes = new CopyOnWriteArrayList<>();
        long guardianNonce = nonce(devnet.address("guardian"));
        CompletableFuture<ActionResult> execution = CompletableFuture.supplyAsync(
                () -> pause().execute(plan, approved(plan, key, notes)), executor);
        Eventually.until(() -> notes.size() == 1, "for the first progress");
        assertThat(notes.getFirst()).startsWith("0 of 3 owners signed, 2 needed").contains(safeTxHash);

        approveHash("owner1", safeTxHash);
        Eventually.until(() -> notes.size() == 2, "for the first signature");
        assertThat(notes.get(1)).startsWith("1 of 3 owners signed").contains(devnet.address("owner1").toLowerCase());
        assertThat(execution).isNotDone();
        assertThat(isPaused()).isFalse();

        approveHash("owner3", safeTxHash);
        ActionResult result = execution.get(20, TimeUnit.SECONDS);
        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains("isPaused() == true: holds");
        assertThat(notes.get(2)).startsWith("2 of 3 owners signed").contains("threshold 2 met");
        assertThat(isPaused()).isTrue();
        assertThat(safeNonce()).isEqualTo(1);
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce + 1);

        ActionResult again = pause().execute(plan, approved(plan, key, notes));
        assertThat(again.succeeded()).as(again.summary()).isTrue();
        assertThat(again.summary()).contains(store.find(key).orElseThrow().txHash());
        assertThat(safeNonce()).as("executed once").isEqualTo(1);
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce + 1);
    }

    @Test
    void after_a_stop_once_the_threshold_was_met_the_same_exec_transaction_is_sent_once() throws Exception {
        PlannedAction plan = pause().plan(args("contract", "pilOrchestrator"));
        String safeTxHash = plan.canonical().get("safeTxHash");
        approveHash("owner1", safeTxHash);
        approveHash("owner2", safeTxHash);
        devnet.rpc().call("evm_setAutomine", false);
        String key = key();
        ExecutorService first = Executors.newSingleThreadExecutor();
        try (ChainOperations before = new ChainOperations(config, store, Clock.systemUTC(), executor)) {
            first.submit(() -> before.actions().get("chain.pause").execute(plan, approved(plan, key, new CopyOnWriteArrayList<>())));
            Eventually.until(() -> store.find(key).map(s -> s.broadcastAt() != null).orElse(false), "for the relayed transaction to be sent");
            first.shutdownNow();   // Firebreak stops while waiting for the receipt
            assertThat(first.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        String txHash = store.find(key).orElseThrow().txHash();
        long guardianNonce = nonce(devnet.address("guardian"));
        devnet.rpc().call("evm_setAutomine", true);
        devnet.rpc().call("anvil_mine", "0x1");

        ActionResult resumed = pause().execute(plan, approved(plan, key, new CopyOnWriteArrayList<>()));
        assertThat(resumed.succeeded()).as(resumed.summary()).isTrue();
        assertThat(resumed.summary()).contains(txHash).contains("isPaused() == true: holds");
        assertThat(safeNonce()).isEqualTo(1);
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce);
    }

    @Test
    void a_safe_nonce_used_by_another_transaction_is_refused_and_nothing_is_sent() {
        PlannedAction plan = pause().plan(args("contract", "pilOrchestrator"));
        // the owners execute another Safe transaction at the same nonce
        SafeTransaction other = new SafeTransaction(31337, safe, "1.4.1", devnet.address("batcher"), BigInteger.ZERO, "0x", 0, BigInteger.ZERO);
        approveHash("owner1", other.safeTxHash());
        approveHash("owner2", other.safeTxHash());
        sendFrom(devnet.address("owner1"), safe, other.execTransactionCall(SafeRoute.signatures(
                List.of(devnet.address("owner1"), devnet.address("owner2")), Map.of())));
        assertThat(safeNonce()).isEqualTo(1);
        long guardianNonce = nonce(devnet.address("guardian"));

        ActionResult result = pause().execute(plan, approved(plan, key(), new CopyOnWriteArrayList<>()));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.summary()).contains("nonce 0 was used by another Safe transaction").contains("Nothing was sent");
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce);
        assertThat(isPaused()).isFalse();
    }

    @Test
    void a_changed_threshold_is_refused_and_nothing_is_sent() {
        PlannedAction plan = pause().plan(args("contract", "pilOrchestrator"));
        approveHash("owner1", plan.canonical().get("safeTxHash"));
        // the threshold (storage slot 4 of a Safe) drops to 1 behind Firebreak's back
        devnet.rpc().call("anvil_setStorageAt", safe, "0x4", "0x" + "0".repeat(63) + "1");
        long guardianNonce = nonce(devnet.address("guardian"));

        ActionResult result = pause().execute(plan, approved(plan, key(), new CopyOnWriteArrayList<>()));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.summary()).contains("owners or threshold of the Safe pilSafe changed").contains("now 1 of");
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce);
        assertThat(isPaused()).isFalse();
    }

    @Test
    void owners_who_do_not_sign_within_the_window_see_the_request_refused() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T03:00:00Z"));
        try (ChainOperations timed = new ChainOperations(config, store, clock, executor)) {
            Action pause = timed.actions().get("chain.pause");
            PlannedAction plan = pause.plan(args("contract", "pilOrchestrator"));
            List<String> notes = new CopyOnWriteArrayList<>();
            CompletableFuture<ActionResult> execution = CompletableFuture.supplyAsync(
                    () -> pause.execute(plan, approved(plan, key(), notes)), executor);
            Eventually.until(() -> !notes.isEmpty(), "for the proposal to be watched");
            approveHash("owner1", plan.canonical().get("safeTxHash"));
            clock.advance(Duration.ofMinutes(61));
            ActionResult result = execution.get(20, TimeUnit.SECONDS);
            assertThat(result.succeeded()).isFalse();
            assertThat(result.summary()).contains("did not sign").contains("signing window closed at 2026-03-01T04:00:00Z");
            assertThat(isPaused()).isFalse();
        }
    }

    @Test
    void a_call_that_would_revert_from_the_safe_is_not_proposed() {
        ChainsConfig oracleViaSafe = config.withContract("l2OutputOracle", config.contracts().get("l2OutputOracle").viaSafe("pilSafe"));
        try (ChainOperations ops = new ChainOperations(oracleViaSafe, store, Clock.systemUTC(), executor)) {
            assertThatThrownBy(() -> ops.actions().get("chain.pause").plan(args("contract", "l2OutputOracle")))
                    .isInstanceOf(InvalidInput.class).hasMessageContaining("from the Safe pilSafe")
                    .hasMessageContaining("reverted").hasMessageContaining("Nothing was proposed");
        }
    }

    @Test
    void a_safe_of_another_chain_is_refused_by_validation_with_the_message_planning_gives() {
        Map<String, ChainsConfig.SafeSpec> safes = Map.of("pilSafe", config.safes().get("pilSafe"),
                "baseSafe", new ChainsConfig.SafeSpec("base", safe, "1.4.1", null));
        ChainsConfig twoChains = new ChainsConfig(config.chains(), config.accounts(), config.contracts(), config.signers(),
                config.limits(), safes);
        try (ChainOperations ops = new ChainOperations(twoChains, store, Clock.systemUTC(), executor)) {
            Action pause = ops.actions().get("chain.pause");
            Map<String, String> viaBase = args("contract", "pilOrchestrator", Action.VIA_SAFE, "baseSafe");
            String refused = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInput.class, () -> pause.plan(viaBase)).getMessage();
            assertThat(refused).contains("the Safe baseSafe is on chain base").contains("a Safe can only call contracts on its own chain");
            assertThat(dev.firebreak.probe.FixedArguments.problem(pause, Map.of(Action.VIA_SAFE, "baseSafe"), java.util.Set.of("contract")))
                    .as("a command's via: is fixed; the contract chat gives decides the chain").isEmpty();
            assertThat(dev.firebreak.probe.FixedArguments.problem(pause, viaBase, java.util.Set.of()))
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
    }

    @Test
    void a_wrong_version_is_caught_by_the_safes_own_hash() {
        Map<String, ChainsConfig.SafeSpec> safes = Map.of("pilSafe", new ChainsConfig.SafeSpec("devnet", safe, "1.2.0", null));
        ChainsConfig wrongVersion = new ChainsConfig(config.chains(), config.accounts(), config.contracts(), config.signers(),
                config.limits(), safes);
        try (ChainOperations ops = new ChainOperations(wrongVersion, store, Clock.systemUTC(), executor)) {
            assertThatThrownBy(() -> ops.actions().get("chain.pause").plan(args("contract", "pilOrchestrator")))
                    .isInstanceOf(InvalidInput.class).hasMessageContaining("check safes.pilSafe.version")
                    .hasMessageContaining("Nothing was proposed");
        }
    }

    @Test
    void proposed_to_the_transaction_service_then_confirmed_there_and_on_chain_and_relayed() throws Exception {
        try (SafeTxServiceStandIn service = SafeTxServiceStandIn.forSafe(devnet.rpcUrl(), safe, "service-api-key");
             ChainOperations ops = new ChainOperations(withService(service.url(), "service-api-key"), store, Clock.systemUTC(), executor)) {
            service.addDelegate(Credentials.create(PROPOSER_KEY).getAddress());
            Action pause = ops.actions().get("chain.pause");
            PlannedAction plan = pause.plan(args("contract", "pilOrchestrator"));
            String safeTxHash = plan.canonical().get("safeTxHash");
            String link = "https://app.safe.global/transactions/tx?safe=devnet:" + safe + "&id=multisig_" + safe + "_" + safeTxHash;
            assertThat(plan.preview().plainText()).contains(link);
            List<String> notes = new CopyOnWriteArrayList<>();
            CompletableFuture<ActionResult> execution = CompletableFuture.supplyAsync(
                    () -> pause.execute(plan, approved(plan, key(), notes)), executor);
            Eventually.until(() -> notes.size() >= 2, "for the proposal and the first progress");
            assertThat(notes.getFirst()).isEqualTo("proposed to the Safe Transaction Service by safeProposer: " + link);
            assertThat(service.transactions()).containsKey(safeTxHash);
            assertThat(service.refusals()).isEmpty();

            // a service that lists a signature no owner made is not believed
            service.forgeConfirmation(safeTxHash, devnet.address("owner2"),
                    SafeTransactionService.sign(safeTxHash, Credentials.create(PROPOSER_KEY)));
            confirmThroughService(service, safeTxHash, "owner1");
            Eventually.until(() -> notes.size() >= 3, "for owner1's confirmation");
            assertThat(notes.get(2)).startsWith("1 of 3 owners signed (" + devnet.address("owner1").toLowerCase() + ")").contains(link);

            approveHash("owner3", safeTxHash);
            ActionResult result = execution.get(20, TimeUnit.SECONDS);
            assertThat(result.succeeded()).as(result.summary()).isTrue();
            assertThat(isPaused()).isTrue();
        }
    }

    @Test
    void a_proposer_the_service_does_not_know_is_refused_with_422_and_the_owners_still_approve_on_chain() throws Exception {
        try (SafeTxServiceStandIn service = SafeTxServiceStandIn.forSafe(devnet.rpcUrl(), safe, null);
             ChainOperations ops = new ChainOperations(withService(service.url(), ""), store, Clock.systemUTC(), executor)) {
            Action pause = ops.actions().get("chain.pause");
            PlannedAction plan = pause.plan(args("contract", "pilOrchestrator"));
            List<String> notes = new CopyOnWriteArrayList<>();
            CompletableFuture<ActionResult> execution = CompletableFuture.supplyAsync(
                    () -> pause.execute(plan, approved(plan, key(), notes)), executor);
            Eventually.until(() -> notes.size() >= 2, "for the refused proposal and the first progress");
            assertThat(notes.getFirst()).contains("could not be proposed to the Safe Transaction Service").contains("HTTP 422")
                    .contains("is not an owner or delegate").contains("owners can still approve");
            approveHash("owner1", plan.canonical().get("safeTxHash"));
            approveHash("owner2", plan.canonical().get("safeTxHash"));
            assertThat(execution.get(20, TimeUnit.SECONDS).succeeded()).isTrue();
        }
    }

    @Test
    void the_service_stand_in_refuses_what_the_real_one_refuses() {
        try (SafeTxServiceStandIn standIn = SafeTxServiceStandIn.forSafe(devnet.rpcUrl(), safe, "right-key")) {
            Credentials owner = Credentials.create(devnet.safeOwnerKey("owner1"));
            SafeTransaction pause = new SafeTransaction(31337, safe, "1.4.1", devnet.address("pilOrchestrator"), BigInteger.ZERO,
                    "0x8456cb59", 0, BigInteger.ZERO);
            SafeTransactionService service = new SafeTransactionService(txService(standIn.url(), "right-key"), safe);
            assertThatThrownBy(() -> new SafeTransactionService(txService(standIn.url(), "wrong-key"), safe).propose(pause, owner))
                    .isInstanceOf(SafeTransactionService.Refused.class).hasMessageContaining("HTTP 401").hasMessageNotContaining("wrong-key");
            assertThatThrownBy(() -> service.propose(pause, Credentials.create(PROPOSER_KEY)))
                    .hasMessageContaining("HTTP 422").hasMessageContaining("is not an owner or delegate");
            devnet.rpc().call("anvil_setStorageAt", safe, "0x5", "0x" + "0".repeat(63) + "3");   // the Safe's nonce moves to 3
            assertThatThrownBy(() -> service.propose(pause, owner)).hasMessageContaining("HTTP 422")
                    .hasMessageContaining("Nonce=0 too low");
            SafeTransaction next = new SafeTransaction(31337, safe, "1.4.1", pause.to(), BigInteger.ZERO, pause.data(), 0, BigInteger.valueOf(3));
            service.propose(next, owner);
            assertThat(service.confirmations(next.safeTxHash())).containsOnlyKeys(owner.getAddress().toLowerCase());
            assertThat(SafeTransactionService.signer(next.safeTxHash(), service.confirmations(next.safeTxHash()).get(owner.getAddress().toLowerCase())))
                    .isEqualTo(owner.getAddress().toLowerCase());
        }
    }

    private ChainsConfig withService(String url, String apiKey) {
        Map<String, ChainsConfig.SignerSpec> signers = new HashMap<>(config.signers());
        signers.put("safeProposer", new ChainsConfig.SignerSpec(new Secret("test", PROPOSER_KEY)));
        ChainsConfig.SafeSpec pilSafe = config.safes().get("pilSafe");
        ChainsConfig changed = new ChainsConfig(config.chains(), config.accounts(), config.contracts(), signers, config.limits(),
                Map.of("pilSafe", new ChainsConfig.SafeSpec(pilSafe.chain(), pilSafe.address(), pilSafe.version(), null,
                        txService(url, apiKey))));
        assertThat(changed.problems()).isEmpty();
        return changed;
    }

    private static ChainsConfig.TxService txService(String url, String apiKey) {
        return new ChainsConfig.TxService(url, new Secret("test", apiKey), "safeProposer", "devnet");
    }

    private void confirmThroughService(SafeTxServiceStandIn service, String safeTxHash, String owner) throws Exception {
        String signature = SafeTransactionService.sign(safeTxHash, Credentials.create(devnet.safeOwnerKey(owner)));
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(service.url() + "/api/v1/multisig-transactions/" + safeTxHash + "/confirmations/"))
                .header("Authorization", "Bearer service-api-key")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"signature\":\"" + signature + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private Action pause() {
        return operations.actions().get("chain.pause");
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

    private void approveHash(String owner, String safeTxHash) {
        sendFrom(devnet.address(owner), safe, FunctionEncoder.encode(new Function("approveHash",
                List.of(SafeTransaction.bytes32(safeTxHash)), List.of())));
    }

    /** anvil's development accounts are unlocked: eth_sendTransaction signs for them. */
    private void sendFrom(String from, String to, String data) {
        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", from, "to", to, "data", data)).asText();
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
        var receipt = devnet.rpc().call("eth_getTransactionReceipt", hash);
        assertThat(receipt.path("status").asText()).as("transaction " + hash).isEqualTo("0x1");
    }

    private String call(String to, String data) {
        return devnet.rpc().call("eth_call", Map.of("to", to, "data", data), "latest").asText();
    }

    private boolean isPaused() {
        return new BigInteger(call(devnet.address("pilOrchestrator"), "0xb187bd26").substring(2), 16).signum() != 0;
    }

    private long safeNonce() {
        return new BigInteger(call(safe, "0xaffed0e0").substring(2), 16).longValueExact();
    }

    private long nonce(String address) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", address, "pending").asText());
    }

    private static String key() {
        return "approval-" + System.nanoTime();
    }

    private static Map<String, String> args(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }
}
