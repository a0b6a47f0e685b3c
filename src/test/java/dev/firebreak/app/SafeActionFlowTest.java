package dev.firebreak.app;

import dev.firebreak.approval.ApprovalState;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.probe.chain.DemoSafePauser;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.store.TestDatabases;
import dev.firebreak.testing.Eventually;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pause through the demo's Safe, the whole way through the bot: the chat approves the proposal,
 * owners sign on chain, progress is posted in the channel, and the relayed execTransaction is sent
 * once, also when Firebreak is killed after the threshold was met.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class SafeActionFlowTest {

    private static final Pattern SAFE_TX_HASH = Pattern.compile("safeTxHash: (0x[0-9a-f]{64})");

    private DemoChain devnet;
    @TempDir
    Path data;

    @BeforeAll
    void devnet(DemoChain devnet) {
        this.devnet = devnet;
        DemoSafePauser.only(devnet);   // the PIL Safe holds the pauser role; the guardian, Firebreak's key, only relays
    }

    private FirebreakConfig config() {
        return DevnetConfig.pilViaSafe(devnet);
    }

    @Test
    void approved_in_chat_signed_by_two_owners_and_relayed_once_across_a_kill() {
        FirebreakConfig config = config();
        String store = "jdbc:sqlite:" + data.resolve("firebreak.db");
        long guardianNonce = nonce(devnet.address("guardian"));
        ConsoleBot first = ConsoleBot.started(config, store);
        assertThat(first.say("alice", "/action pause pilOrchestrator").message().plainText()).contains("A-1 posted");
        first.approvalMessage(1);
        String request = first.awaitOutput("Approval needed");
        assertThat(request).contains("through the Safe pilSafe").contains("Domain hash").contains("Message hash")
                .contains("the Safe's own getTransactionHash agrees").contains("threshold 2");
        Matcher hash = SAFE_TX_HASH.matcher(request);
        assertThat(hash.find()).as(request).isTrue();
        String safeTxHash = hash.group(1);

        first.approve(1, "bob", "carol");
        first.awaitOutput("A-1 0 of 3 owners signed, 2 needed");
        approveHash("owner2", safeTxHash);
        first.awaitOutput("A-1 1 of 3 owners signed (" + devnet.address("owner2").toLowerCase() + ")");
        assertThat(first.state(1)).isEqualTo(ApprovalState.EXECUTING);

        devnet.rpc().call("evm_setAutomine", false);
        String approval = approveHash("owner3", safeTxHash);
        devnet.rpc().call("anvil_mine", "0x1");   // the second signature lands; the relayed execTransaction waits in the pool
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", approval).isNull(), "for the second signature");
        first.awaitState(1, ApprovalState.SENT);
        first.awaitOutput("threshold 2 met, executing");
        String firstOutput = first.output();
        first.crash();   // Firebreak dies while execTransaction waits for its receipt

        try (ConsoleBot second = ConsoleBot.assemble(config, store).start()) {
            devnet.rpc().call("anvil_mine", "0x1");
            second.awaitState(1, ApprovalState.SUCCEEDED);
            String all = firstOutput + second.awaitOutput("A-1 done");
            assertThat(ConsoleBot.count(all, "A-1 done")).as("posted once").isEqualTo(1);
            assertThat(ConsoleBot.count(all, "threshold 2 met")).as("progress posted once").isEqualTo(1);
            assertThat(all).contains("isPaused() == true: holds (was false, now true)");
            assertThat(nonce(devnet.address("guardian"))).as("one execTransaction, relayed by the guardian").isEqualTo(guardianNonce + 1);
            assertThat(new BigInteger(call(devnet.address("pilSafe"), "0xaffed0e0").substring(2), 16)).isEqualTo(BigInteger.ONE);
            List<String> audited = second.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT detail FROM audit_log WHERE subject = 'A-1' AND event = 'action' ORDER BY seq").mapTo(String.class).list());
            assertThat(String.join("\n", audited)).as("each signature's progress is on the audit trail, once")
                    .contains("0 of 3 owners signed").contains("1 of 3 owners signed").contains("2 of 3 owners signed");
            assertThat(audited.stream().filter(d -> d.contains("2 of 3 owners signed")).count()).isEqualTo(1);
        }
    }

    @Test
    void two_engines_on_one_postgresql_store_show_the_same_owners_line_in_action_pending_also_after_a_restart() {
        FirebreakConfig config = config();
        String store = TestDatabases.freshUrl("postgresql", data);
        String line;
        try (ConsoleBot leader = ConsoleBot.started(config, store);
             ConsoleBot standby = ConsoleBot.assemble(config, store)) {   // assembled, not started: a replica that stands by
            assertThat(leader.say("alice", "/action pause pilOrchestrator").message().plainText()).contains("A-1 posted");
            Matcher hash = SAFE_TX_HASH.matcher(leader.awaitOutput("Approval needed"));
            assertThat(hash.find()).isTrue();
            String safeTxHash = hash.group(1);
            leader.approve(1, "bob", "carol");
            leader.awaitOutput("A-1 0 of 3 owners signed, 2 needed");
            assertThat(pending(standby)).contains("A-1").contains("0 of 3 owners signed, 2 needed (safeTxHash " + safeTxHash + ")");

            approveHash("owner2", safeTxHash);
            leader.awaitOutput("A-1 1 of 3 owners signed (");
            line = "1 of 3 owners signed, 2 needed (safeTxHash " + safeTxHash + "), expires in ";
            assertThat(pending(leader)).contains(line);
            assertThat(pending(standby)).as("the replica that does not run the execution says the same")
                    .contains("Approved in chat, waiting for the Safe's owners to sign").contains(line)
                    .containsPattern("expires in (59m|1h)");
        }

        try (ConsoleBot restarted = ConsoleBot.assemble(config, store)) {
            assertThat(pending(restarted)).as("after a restart, before the execution resumes").contains(line);
            restarted.start();
            Matcher hash = SAFE_TX_HASH.matcher(restarted.request(1).preview());
            assertThat(hash.find()).isTrue();
            approveHash("owner3", hash.group(1));
            restarted.awaitState(1, ApprovalState.SUCCEEDED);
            assertThat(pending(restarted)).as("relayed: it waits on the owners no more").doesNotContain("owners signed");
        }
    }

    private static String pending(ConsoleBot bot) {
        return bot.say("alice", "/action pending").message().plainText();
    }

    private String approveHash(String owner, String safeTxHash) {
        return send(devnet.address(owner), devnet.address("pilSafe"), FunctionEncoder.encode(new Function("approveHash",
                List.of(new Bytes32(Numeric.hexStringToByteArray(safeTxHash))), List.of())));
    }

    /** anvil's development accounts are unlocked: eth_sendTransaction signs for them. */
    private String send(String from, String to, String data) {
        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", from, "to", to, "data", data)).asText();
        if (devnet.rpc().call("eth_getTransactionByHash", hash).path("blockNumber").isNull()) return hash;
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
        return hash;
    }

    private String call(String to, String data) {
        return devnet.rpc().call("eth_call", Map.of("to", to, "data", data), "latest").asText();
    }

    private long nonce(String address) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", address, "latest").asText());
    }
}
