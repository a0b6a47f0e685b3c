package dev.firebreak.app;

import dev.firebreak.approval.ApprovalState;
import dev.firebreak.chat.Reply;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.probe.chain.DemoSafePauser;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.testing.Eventually;
import dev.firebreak.watch.WatchersConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the whole bot on anvil and the demo's real Safe: a pre-signed pause added in chat, run
 * after one approval and relayed exactly once although Firebreak is killed between the broadcast
 * and the receipt, then refused as stale; {@code /action pending} showing a request that waits for
 * the owners; and a replica deposed while the owners sign that relays nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class PresignedPauseFlowTest {

    private static final String ZERO = "0x0000000000000000000000000000000000000000";

    private DemoChain devnet;
    private DemoSafePauser safe;
    @TempDir
    Path data;

    @BeforeAll
    void devnet(DemoChain devnet) {
        this.devnet = devnet;
        safe = DemoSafePauser.on(devnet);
    }

    private FirebreakConfig config() {
        return DevnetConfig.pilViaSafe(devnet).withSnapshot(SnapshotConfig.none()).withWatchers(WatchersConfig.none());
    }

    @Test
    void added_in_chat_run_after_one_approval_relayed_once_across_a_kill_and_then_refused_as_stale() {
        FirebreakConfig config = config();
        String store = "jdbc:sqlite:" + data.resolve("firebreak.db");
        long guardianNonce = nonce(devnet.address("guardian"));
        ConsoleBot first = ConsoleBot.started(config, store);
        Reply refused = first.say("alice", "/action presigned add pil-pause " + document(0, 0));
        assertThat(refused.message().plainText()).as("one owner is below the threshold")
                .contains("1 owner(s) signed it validly and the Safe's threshold is 2").contains("Nothing was stored");
        assertThat(first.say("mallory", "/action presigned add pil-pause " + document(0, 0, 2)).message().plainText())
                .as("adding needs the commander role").doesNotContain("stored:");
        Reply added = first.say("alice", "/action presigned add pil-pause " + document(0, 0, 2));
        assertThat(added.message().plainText()).contains("pre-signed pause pil-pause stored");
        assertThat(first.say("alice", "/diag presigned").message().plainText()).contains("1 pre-signed pause(s), 1 ready");
        assertThat(first.awaitOutput("Pre-signed pause transactions")).containsPattern("pil-pause\\s+pilSafe\\s+0\\s+pilOrchestrator.pause\\(\\)");

        assertThat(first.say("alice", "/action presigned run pil-pause").message().plainText()).contains("A-1 posted");
        assertThat(first.awaitOutput("Approval needed A-1")).contains("1 distinct approver(s)").contains("Run the pre-signed pause pil-pause");
        devnet.rpc().call("evm_setAutomine", false);
        first.approve(1, "bob");
        first.awaitState(1, ApprovalState.SENT);
        String firstOutput = first.output();
        first.crash();   // Firebreak dies while execTransaction waits for its receipt

        try (ConsoleBot second = ConsoleBot.assemble(config, store).start()) {
            devnet.rpc().call("anvil_mine", "0x1");
            second.awaitState(1, ApprovalState.SUCCEEDED);
            String all = firstOutput + second.awaitOutput("A-1 done");
            assertThat(ConsoleBot.count(all, "A-1 done")).as("posted once").isEqualTo(1);
            assertThat(all).contains("isPaused() == true: holds (was false, now true)");
            assertThat(nonce(devnet.address("guardian"))).as("one execTransaction, relayed by the guardian").isEqualTo(guardianNonce + 1);
            devnet.rpc().call("evm_setAutomine", true);
            assertThat(second.say("alice", "/action presigned run pil-pause").message().plainText())
                    .contains("stale").contains("Nothing was sent");
            assertThat(nonce(devnet.address("guardian"))).isEqualTo(guardianNonce + 1);
        }
    }

    @Test
    void a_request_approved_in_chat_waits_in_action_pending_for_the_owners_and_a_deposed_replica_relays_nothing() {
        FirebreakConfig config = config();
        long guardianNonce = nonce(devnet.address("guardian"));
        AtomicBoolean leading = new AtomicBoolean(true);
        try (ConsoleBot bot = ConsoleBot.assemble(config, "jdbc:sqlite:" + data.resolve("pending.db"))) {
            bot.firebreak().fence(leading::get);
            bot.start();
            assertThat(bot.say("alice", "/action pause pilOrchestrator").message().plainText()).contains("A-1 posted");
            String request = bot.awaitOutput("Approval needed A-1");
            java.util.regex.Matcher hash = java.util.regex.Pattern.compile("safeTxHash: (0x[0-9a-f]{64})").matcher(request);
            assertThat(hash.find()).isTrue();
            bot.approve(1, "bob", "carol");
            bot.awaitOutput("A-1 0 of 3 owners signed, 2 needed");
            Eventually.until(() -> bot.say("alice", "/action pending").message().plainText().contains("owners signed"), "for /action pending");
            assertThat(bot.say("alice", "/action pending").message().plainText())
                    .contains("Approved in chat, waiting for the Safe's owners to sign")
                    .contains("0 of 3 owners signed, 2 needed").containsPattern("expires in (59m|1h)");
            approveHash(1, hash.group(1));
            Eventually.until(() -> bot.say("alice", "/action pending").message().plainText().contains("1 of 3 owners signed, 2 needed"),
                    "for the first signature in /action pending");

            leading.set(false);   // another replica took over while the owners signed
            approveHash(2, hash.group(1));
            Eventually.until(() -> bot.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_log "
                    + "WHERE subject = 'A-1' AND event = 'action' AND detail LIKE '%threshold 2 met%'").mapTo(Integer.class).one()) == 1,
                    "for the execution to see the threshold met");
            assertThat(bot.say("alice", "/action pending").message().plainText()).as("the store's view, for the leader to take up")
                    .contains("2 of 3 owners signed, 2 needed");
            bot.firebreak().close();   // waits for the execution, which the fence stopped before it relayed
            assertThat(bot.state(1)).as("left for the leader").isEqualTo(ApprovalState.EXECUTING);
            assertThat(nonce(devnet.address("guardian"))).as("no execTransaction from a deposed replica").isEqualTo(guardianNonce);
            int signed = bot.database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM chain_transactions")
                    .mapTo(Integer.class).one());
            assertThat(signed).as("nothing signed").isZero();
        }
    }

    @Test
    void removed_in_chat_by_a_commander_only_on_the_audit_log_and_an_unknown_name_lists_the_stored_ones() {
        FirebreakConfig config = config();
        try (ConsoleBot bot = ConsoleBot.started(config, "jdbc:sqlite:" + data.resolve("remove.db"))) {
            assertThat(bot.say("alice", "/action presigned add pil-pause " + document(0, 0, 2)).message().plainText())
                    .contains("pre-signed pause pil-pause stored");
            assertThat(bot.say("alice", "/action presigned remove pil-pause-9").message().plainText())
                    .contains("there is no pre-signed transaction named pil-pause-9; stored: pil-pause").contains("Nothing was removed");
            assertThat(bot.say("bob", "/action presigned remove pil-pause").message().plainText()).as("bob is no commander")
                    .contains("commander").doesNotContain("removed:");
            assertThat(bot.say("alice", "/diag presigned").message().plainText()).as("still there").contains("1 pre-signed pause(s), 1 ready");

            assertThat(bot.say("alice", "/action presigned remove pil-pause").message().plainText())
                    .contains("pre-signed pause pil-pause removed").contains("at nonce 0");
            assertThat(bot.say("alice", "/diag presigned").message().plainText()).contains("0 pre-signed pause(s)");
            List<String> audited = bot.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT actor || ' ' || event || ' ' || detail FROM audit_log ORDER BY seq").mapTo(String.class).list());
            assertThat(audited).as("removed on the audit log, as added")
                    .anySatisfy(entry -> assertThat(entry).startsWith("alice").contains("presigned add pil-pause"))
                    .anySatisfy(entry -> assertThat(entry).startsWith("alice").contains("pre-signed pause pil-pause removed"));
            assertThat(bot.say("alice", "/action presigned remove pil-pause").message().plainText())
                    .contains("none is stored").contains("Nothing was removed");
        }
    }

    /** The pause at {@code nonce} as the Safe Transaction Service gives it, signed (EIP-712) by the owners given. */
    private String document(long nonce, int... owners) {
        String safeTxHash = safeTxHash(nonce);
        List<Credentials> signers = java.util.Arrays.stream(owners).mapToObj(safe::owner)
                .sorted(Comparator.comparing(c -> Numeric.toBigInt(c.getAddress()))).toList();
        StringBuilder signatures = new StringBuilder("0x");
        for (Credentials signer : signers) {
            Sign.SignatureData signature = Sign.signMessage(Numeric.hexStringToByteArray(safeTxHash), signer.getEcKeyPair(), false);
            signatures.append(Numeric.toHexStringNoPrefix(signature.getR())).append(Numeric.toHexStringNoPrefix(signature.getS()))
                    .append(Numeric.toHexStringNoPrefix(signature.getV()));
        }
        return "{\"safe\": \"" + devnet.address("pilSafe") + "\", \"to\": \"" + devnet.address("pilOrchestrator") + "\", \"value\": \"0\", "
                + "\"data\": \"0x8456cb59\", \"operation\": 0, \"safeTxGas\": \"0\", \"baseGas\": \"0\", \"gasPrice\": \"0\", "
                + "\"gasToken\": \"" + ZERO + "\", \"refundReceiver\": \"" + ZERO + "\", \"nonce\": " + nonce + ", "
                + "\"safeTxHash\": \"" + safeTxHash + "\", \"signatures\": \"" + signatures + "\"}";
    }

    /** The Safe's own getTransactionHash of the pause at {@code nonce}. */
    private String safeTxHash(long nonce) {
        String data = FunctionEncoder.encode(new Function("getTransactionHash", List.of(new Address(devnet.address("pilOrchestrator")),
                Uint256.DEFAULT, new DynamicBytes(Numeric.hexStringToByteArray("0x8456cb59")), new Uint8(0), Uint256.DEFAULT,
                Uint256.DEFAULT, Uint256.DEFAULT, new Address(ZERO), new Address(ZERO), new Uint256(BigInteger.valueOf(nonce))), List.of()));
        return devnet.rpc().call("eth_call", Map.of("to", devnet.address("pilSafe"), "data", data), "latest").asText();
    }

    private void approveHash(int owner, String safeTxHash) {
        send(safe.owner(owner).getAddress(), devnet.address("pilSafe"), FunctionEncoder.encode(new Function("approveHash",
                List.of(new Bytes32(Numeric.hexStringToByteArray(safeTxHash))), List.of())));
    }

    /** anvil's development accounts are unlocked: eth_sendTransaction signs for them. */
    private void send(String from, String to, String data) {
        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", from, "to", to, "data", data)).asText();
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
    }

    private long nonce(String address) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", address, "latest").asText());
    }
}
