package dev.firebreak.probe.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.ProbeResult;
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
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pre-signed pauses on the demo's real Safe 1.4.1 (three owners, threshold 2) on anvil: each way
 * a document is refused when added (and that nothing is stored then), the kinds of signature the
 * Safe takes, a run relayed by the guardian and verified, a stale one refused, what
 * {@code /diag presigned} says, and a deposed replica that sends nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class PresignedPausesTest {

    /** anvil's development key 9: not an owner. */
    private static final Credentials STRANGER = Credentials.create("0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private DemoChain devnet;
    private Database database;
    private ChainOperations operations;
    private String safe;
    private DemoSafePauser safeOwners;

    @BeforeAll
    void start(DemoChain devnet, @TempDir Path dir) {
        this.devnet = devnet;
        safeOwners = DemoSafePauser.on(devnet);
        ChainsConfig config = safeOwners.chainsConfig();
        safe = devnet.address("pilSafe");
        database = Database.open("jdbc:sqlite:" + dir.resolve("firebreak.db"));
        operations = new ChainOperations(config, new SignedTransactions(database.dataSource()), Clock.systemUTC(), executor);
    }

    @AfterAll
    void stop() {
        operations.close();
        executor.shutdownNow();
        database.close();
    }

    @BeforeEach
    void emptyStore() {
        database.jdbi().useHandle(h -> h.execute("DELETE FROM presigned_safe_transactions"));
    }

    @Test
    void a_value_planning_refuses_is_refused_by_validation_with_the_same_message() {
        Action add = operations.actions().get("chain.presigned.add");
        Action run = operations.actions().get("chain.presigned.run");
        for (var bad : List.of(Map.entry(add, Map.of("name", "Pil Pause", "json", "{}")),
                Map.entry(add, Map.of("name", "pil-pause-9", "json", "{not json")),
                Map.entry(run, Map.of("name", "../pil")),
                Map.entry(operations.actions().get("chain.presigned.remove"), Map.of("name", "PIL")))) {
            String refused = org.assertj.core.api.Assertions.catchThrowableOfType(InvalidInput.class,
                    () -> bad.getKey().plan(bad.getValue())).getMessage();
            assertThat(dev.firebreak.probe.FixedArguments.problem(bad.getKey(), bad.getValue(), java.util.Set.of()))
                    .as(bad.getValue().toString()).hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        assertThat(dev.firebreak.probe.FixedArguments.problem(run, Map.of("name", "pil-pause-404"), java.util.Set.of()))
                .as("which documents are stored is the store's to say, when it is planned").isEmpty();
        assertThatThrownBy(() -> run.plan(Map.of("name", "pil-pause-404"))).hasMessageContaining("there is no pre-signed transaction named");
    }

    @Test
    void a_pause_signed_by_two_owners_is_stored_ready_and_relayed_once_by_the_guardian() {
        assertThat(overview().status()).as("nothing ready for the Safe-held orchestrator").isEqualTo(ProbeResult.Status.WARNING);
        assertThat(overview().summary()).contains("none ready for pilOrchestrator (Safe pilSafe)");

        ActionResult added = add("pil-pause-0", document(0, sorted(true, 0, 2)));
        assertThat(added.succeeded()).as(added.summary()).isTrue();
        assertThat(added.summary()).contains("pilOrchestrator.pause() through the Safe pilSafe at nonce 0")
                .contains(safeOwners.owner(0).getAddress()).contains(safeOwners.owner(2).getAddress());
        ProbeResult listed = overview();
        assertThat(listed.status()).isEqualTo(ProbeResult.Status.OK);
        assertThat(listed.details().plainText()).contains("pil-pause-0").contains("pilSafe").contains("ready");

        long guardianNonce = nonce(devnet.address("guardian"));
        PlannedAction plan = run().plan(Map.of("name", "pil-pause-0"));
        assertThat(plan.preview().plainText()).contains("execTransaction from guardian: succeeded").contains("isPaused() == true");
        ActionResult result = run().execute(plan, new Execution.Approved("A-1", plan.hash(), "A-1-" + System.nanoTime()));
        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains("isPaused() == true: holds (was false, now true)");
        assertThat(isPaused()).isTrue();
        assertThat(nonce(devnet.address("guardian"))).as("one execTransaction").isEqualTo(guardianNonce + 1);

        // used: the Safe's nonce moved past it
        assertThatThrownBy(() -> run().plan(Map.of("name", "pil-pause-0"))).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("stale").hasMessageContaining("nonce 0").hasMessageContaining("Nothing was sent");
        assertThat(overview().details().plainText()).contains("STALE (the Safe's nonce is now 1)");
        assertThat(overview().status()).as("paused: nothing to keep ready").isEqualTo(ProbeResult.Status.OK);
    }

    @Test
    void eth_sign_and_approved_hash_signatures_count_and_a_contract_signature_is_refused() {
        String hash = safeTxHash(0);
        approveHash(1, hash);
        assertThat(add("mixed", document(0, approved(1), ethSign(0))).succeeded()).isTrue();
        assertRefused(add("contract-sig", document(0, eip712(0), contractSignature(1))), "contract signature (v 0, EIP-1271)");
        assertRefused(add("not-approved", document(0, approved(2), eip712(0))), "has not approved " + hash);
    }

    @Test
    void each_bad_document_is_refused_with_its_reason_and_nothing_is_stored() {
        ObjectNode badHash = document(0, sorted(true, 0, 2));
        badHash.put("safeTxHash", "0x" + "ab".repeat(32));
        assertRefused(add("bad-hash", badHash), "is not the hash of its fields");
        assertRefused(add("stranger", document(0, eip712(0), sign(STRANGER, 0))), "who is not an owner of the Safe");
        assertRefused(add("twice", document(0, eip712(0), eip712(0))), "signed twice");
        assertRefused(add("below", document(0, eip712(0))), "1 owner(s) signed it validly and the Safe's threshold is 2");
        assertRefused(add("unsorted", document(0, sorted(false, 0, 2))), "not in ascending owner order");
        ObjectNode delegate = document(0, sorted(true, 0, 2));
        delegate.put("operation", 1);
        assertRefused(add("delegatecall", delegate), "operation is 1 (delegatecall)");
        ObjectNode unpause = document(0, sorted(true, 0, 2));
        unpause.put("data", "0x3f4ba83a");
        assertRefused(add("unpause", unpause), "it is not a pause");
        ObjectNode elsewhere = document(0, sorted(true, 0, 2));
        elsewhere.put("to", devnet.address("batcher"));
        assertRefused(add("elsewhere", elsewhere), "not a contract of bot/chains.yaml");
        ObjectNode refund = document(0, sorted(true, 0, 2));
        refund.put("gasPrice", "7");
        assertRefused(add("refund", refund), "gasPrice is 7");
        assertRefused(addRaw("not-json", "{\"safe\": "), "not JSON");
        setSafeNonce(3);
        assertRefused(add("stale", document(0, sorted(true, 0, 2))), "stale: it is signed for the Safe's nonce 0");
        assertThat(operations.actions().get("chain.presigned.add")).isNotNull();
        assertThat(overview().details().plainText()).as("nothing was stored").contains("None stored");
    }

    @Test
    void a_future_nonce_waits_and_owners_changing_afterwards_is_flagged_and_refused() {
        assertThat(add("next", document(1, eip712Of(1, 1), eip712Of(1, 0))).succeeded()).isTrue();
        assertThat(overview().details().plainText()).contains("not usable yet: it is signed for the Safe's nonce 1 and the Safe is at 0");
        assertThatThrownBy(() -> run().plan(Map.of("name", "next"))).hasMessageContaining("not usable yet");
        setSafeNonce(1);
        assertThat(overview().details().plainText()).contains("ready");
        // the threshold (storage slot 4 of a Safe) goes up to 3
        devnet.rpc().call("anvil_setStorageAt", safe, "0x4", "0x" + "0".repeat(63) + "3");
        assertThat(overview().details().plainText()).contains("owners or threshold of the Safe pilSafe changed since it was added");
        assertThat(overview().status()).isEqualTo(ProbeResult.Status.WARNING);
        assertThatThrownBy(() -> run().plan(Map.of("name", "next"))).hasMessageContaining("changed since it was added")
                .hasMessageContaining("Nothing was sent");
    }

    @Test
    void a_run_that_went_stale_after_its_approval_sends_nothing() {
        assertThat(add("p", document(0, sorted(true, 0, 2))).succeeded()).isTrue();
        PlannedAction plan = run().plan(Map.of("name", "p"));
        setSafeNonce(1);
        long guardianNonce = nonce(devnet.address("guardian"));
        ActionResult result = run().execute(plan, new Execution.Approved("A-2", plan.hash(), "A-2-" + System.nanoTime()));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.summary()).contains("stale").contains("Nothing was sent");
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce);
        assertThat(isPaused()).isFalse();
    }

    @Test
    void a_replica_that_no_longer_leads_relays_nothing() {
        assertThat(add("p", document(0, sorted(true, 0, 2))).succeeded()).isTrue();
        PlannedAction plan = run().plan(Map.of("name", "p"));
        long guardianNonce = nonce(devnet.address("guardian"));
        String key = "A-3-" + System.nanoTime();
        Execution deposed = new Execution.Approved("A-3", plan.hash(), key, Execution.Progress.NONE, () -> false);
        assertThatThrownBy(() -> run().execute(plan, deposed)).isInstanceOf(Execution.Deposed.class);
        assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce);
        assertThat(new SignedTransactions(database.dataSource()).find(key)).as("nothing signed").isEmpty();
        assertThat(isPaused()).isFalse();
    }

    @Test
    void a_command_that_says_via_a_safe_routes_a_contract_whose_own_configuration_names_none() {
        try (ChainOperations direct = new ChainOperations(devnet.chainsConfig(), new SignedTransactions(database.dataSource()),
                Clock.systemUTC(), executor)) {
            PlannedAction plain = direct.actions().get("chain.pause").plan(Map.of("contract", "pilOrchestrator"));
            assertThat(plain.canonical()).doesNotContainKey("safe").containsEntry("from", devnet.address("guardian"));
            PlannedAction routed = direct.actions().get("chain.pause").plan(Map.of("contract", "pilOrchestrator", Action.VIA_SAFE, "pilSafe"));
            assertThat(routed.canonical()).containsEntry("safe", "pilSafe").containsEntry("from", safe)
                    .containsEntry("input." + Action.VIA_SAFE, "pilSafe").containsEntry("safeTxHash", safeTxHash(0));
            assertThat(routed.preview().plainText()).contains("through the Safe pilSafe");
            assertThatThrownBy(() -> direct.actions().get("chain.pause").plan(Map.of("contract", "pilOrchestrator", Action.VIA_SAFE, "vault")))
                    .isInstanceOf(InvalidInput.class).hasMessageContaining("unknown Safe 'vault'").hasMessageContaining("pilSafe");
        }
    }

    @Test
    void the_watcher_counts_a_pause_that_a_command_routes_through_a_safe_and_a_via_that_covers_pause_only() {
        ChainsConfig shipped = devnet.chainsConfig();
        ChainsConfig rolesOnly = shipped.withContract("pilOrchestrator", shipped.contracts().get("pilOrchestrator")
                .viaSafe("pilSafe", List.of("grantRole(bytes32,address)")));
        ChainsConfig pauseOnly = shipped.withContract("pilOrchestrator", shipped.contracts().get("pilOrchestrator")
                .viaSafe("pilSafe", List.of("pause()")));
        SignedTransactions store = new SignedTransactions(database.dataSource());
        try (ChainOperations plain = new ChainOperations(shipped, store, Clock.systemUTC(), executor);
             ChainOperations viaCommand = new ChainOperations(shipped, store, Clock.systemUTC(), executor,
                     ChainOperations.ActionLines.NONE, java.util.Set.of("pilSafe"));
             ChainOperations roles = new ChainOperations(rolesOnly, store, Clock.systemUTC(), executor);
             ChainOperations pause = new ChainOperations(pauseOnly, store, Clock.systemUTC(), executor)) {
            assertThat(presigned(plain).status()).as("nothing goes through a Safe").isEqualTo(ProbeResult.Status.OK);
            ProbeResult command = presigned(viaCommand);
            assertThat(command.status()).as("/action pause says via: {safe: pilSafe}").isEqualTo(ProbeResult.Status.WARNING);
            assertThat(command.summary()).as("every pausable contract on the Safe's chain pauses through the command's Safe")
                    .endsWith("none ready for l2OutputOracle (Safe pilSafe), manifestDispatcher (Safe pilSafe), pilOrchestrator (Safe pilSafe)");
            assertThat(presigned(roles).status()).as("its via: covers role changes, not pause()").isEqualTo(ProbeResult.Status.OK);
            assertThat(presigned(pause).summary()).isEqualTo("0 pre-signed pause(s), 0 ready; none ready for pilOrchestrator (Safe pilSafe)");
            // the same rule routes the actions: only pause() goes through the Safe
            assertThat(pause.actions().get("chain.pause").plan(Map.of("contract", "pilOrchestrator")).canonical())
                    .containsEntry("safe", "pilSafe");
            assertThat(roles.actions().get("chain.pause").plan(Map.of("contract", "pilOrchestrator")).canonical())
                    .doesNotContainKey("safe").containsEntry("from", devnet.address("guardian"));

            assertThat(add("pil-pause-0", document(0, sorted(true, 0, 2))).succeeded()).isTrue();
            assertThat(presigned(viaCommand).summary()).doesNotContain("pilOrchestrator (Safe").contains("1 ready");
        }
    }

    @Test
    void remove_forgets_a_stored_one_and_an_unknown_name_lists_the_stored_ones() {
        assertThat(add("pil-pause-0", document(0, sorted(true, 0, 2))).succeeded()).isTrue();
        Action remove = operations.actions().get("chain.presigned.remove");
        assertThatThrownBy(() -> remove.plan(Map.of("name", "pil-pause-9"))).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("there is no pre-signed transaction named pil-pause-9; stored: pil-pause-0")
                .hasMessageContaining("Nothing was removed");
        PlannedAction plan = remove.plan(Map.of("name", "pil-pause-0"));
        assertThat(plan.preview().plainText()).contains("pilOrchestrator.pause() through the Safe pilSafe").contains(safeTxHash(0));
        ActionResult removed = remove.execute(plan, Execution.ungated("direct-" + System.nanoTime()));
        assertThat(removed.succeeded()).as(removed.summary()).isTrue();
        assertThat(removed.summary()).contains("pre-signed pause pil-pause-0 removed").contains("at nonce 0");
        assertThat(overview().details().plainText()).contains("None stored");
        assertThat(remove.execute(plan, Execution.ungated("direct-" + System.nanoTime())).summary())
                .as("a second run of the same plan changes nothing").contains("not removed");
        assertThatThrownBy(() -> remove.plan(Map.of("name", "pil-pause-0"))).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("none is stored");
    }

    private static ProbeResult presigned(ChainOperations operations) {
        return operations.probes().get("chain.presigned").run(Map.of());
    }

    // ------------------------------------------------------------------ helpers

    private ActionResult add(String name, ObjectNode document) {
        return addRaw(name, document.toString());
    }

    /** As {@code /action presigned add}: planned (where refusals are thrown), then run at once. */
    private ActionResult addRaw(String name, String json) {
        Action add = operations.actions().get("chain.presigned.add");
        try {
            PlannedAction plan = add.plan(Map.of("name", name, "json", json));
            return add.execute(plan, Execution.ungated("direct-" + System.nanoTime()));
        } catch (InvalidInput e) {
            return ActionResult.failed(e.getMessage());
        }
    }

    private void assertRefused(ActionResult result, String reason) {
        assertThat(result.succeeded()).as(result.summary()).isFalse();
        assertThat(result.summary()).contains(reason).contains("Nothing was stored");
    }

    private Action run() {
        return operations.actions().get("chain.presigned.run");
    }

    private ProbeResult overview() {
        return operations.probes().get("chain.presigned").run(Map.of());
    }

    private SafeTransaction pauseAt(long nonce) {
        return new SafeTransaction(31337, safe, "1.4.1", devnet.address("pilOrchestrator"), BigInteger.ZERO, "0x8456cb59", 0,
                BigInteger.valueOf(nonce));
    }

    private String safeTxHash(long nonce) {
        return pauseAt(nonce).safeTxHash();
    }

    /** The JSON as the Safe Transaction Service gives it, for the pause at {@code nonce}, the signatures packed in the order given. */
    private ObjectNode document(long nonce, String... signatures) {
        ObjectNode node = JSON.createObjectNode();
        node.put("safe", safe);
        node.put("to", devnet.address("pilOrchestrator"));
        node.put("value", "0");
        node.put("data", "0x8456cb59");
        node.put("operation", 0);
        node.put("safeTxGas", "0");
        node.put("baseGas", "0");
        node.put("gasPrice", "0");
        node.put("gasToken", SafeTransaction.ZERO_ADDRESS);
        node.put("refundReceiver", SafeTransaction.ZERO_ADDRESS);
        node.put("nonce", nonce);
        node.put("safeTxHash", safeTxHash(nonce));
        node.put("signatures", "0x" + String.join("", List.of(signatures).stream().map(s -> s.substring(2)).toList()));
        return node;
    }

    /** Owner i's EIP-712 signature (v 27/28) of the pause at nonce 0 (by address, owner 2 < owner 1 < owner 0). */
    private String eip712(int owner) {
        return eip712Of(0, owner);
    }

    private String eip712Of(long nonce, int owner) {
        return SafeTransactionService.sign(safeTxHash(nonce), safeOwners.owner(owner));
    }

    private String sign(Credentials key, long nonce) {
        return SafeTransactionService.sign(safeTxHash(nonce), key);
    }

    /** Owner i's eth_sign signature (v 31/32) of the pause at nonce 0. */
    private String ethSign(int owner) {
        Sign.SignatureData signature = Sign.signPrefixedMessage(Numeric.hexStringToByteArray(safeTxHash(0)), safeOwners.owner(owner).getEcKeyPair());
        byte v = (byte) (signature.getV()[0] + 4);
        return Numeric.toHexString(SafeTransaction.concat(signature.getR(), signature.getS(), new byte[] {v}));
    }

    /** The approved-hash form of owner i (r = owner, s = 0, v = 1). */
    private String approved(int owner) {
        return Numeric.toHexString(SafeTransaction.concat(Numeric.toBytesPadded(Numeric.toBigInt(safeOwners.owner(owner).getAddress()), 32),
                new byte[32], new byte[] {1}));
    }

    /** A contract signature (v 0) standing for owner i. */
    private String contractSignature(int owner) {
        return Numeric.toHexString(SafeTransaction.concat(Numeric.toBytesPadded(Numeric.toBigInt(safeOwners.owner(owner).getAddress()), 32),
                Numeric.toBytesPadded(BigInteger.valueOf(130), 32), new byte[] {0}));
    }

    /** The EIP-712 signatures of the owners, ascending or descending by address. */
    private String[] sorted(boolean ascending, int... owners) {
        List<Integer> order = new ArrayList<>();
        for (int owner : owners) order.add(owner);
        order.sort(Comparator.comparing((Integer i) -> Numeric.toBigInt(safeOwners.owner(i).getAddress())));
        if (!ascending) java.util.Collections.reverse(order);
        return order.stream().map(this::eip712).toArray(String[]::new);
    }

    private void approveHash(int owner, String safeTxHash) {
        sendFrom(safeOwners.owner(owner).getAddress(), safe, FunctionEncoder.encode(new Function("approveHash",
                List.of(SafeTransaction.bytes32(safeTxHash)), List.of())));
    }

    /** The Safe's nonce is its storage slot 5. */
    private void setSafeNonce(long nonce) {
        devnet.rpc().call("anvil_setStorageAt", safe, "0x5", Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(nonce), 64));
    }

    private void sendFrom(String from, String to, String data) {
        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", from, "to", to, "data", data)).asText();
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
        assertThat(devnet.rpc().call("eth_getTransactionReceipt", hash).path("status").asText()).isEqualTo("0x1");
    }

    private boolean isPaused() {
        String value = devnet.rpc().call("eth_call", Map.of("to", devnet.address("pilOrchestrator"), "data", "0xb187bd26"), "latest").asText();
        return new BigInteger(value.substring(2), 16).signum() != 0;
    }

    private long nonce(String address) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", address, "latest").asText());
    }
}
