package dev.firebreak.app;

import dev.firebreak.approval.ApprovalState;
import dev.firebreak.chat.Reply;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.runbook.RunbookRun;
import dev.firebreak.testing.Eventually;
import dev.firebreak.testing.RpcStandIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chain actions through the whole bot, against anvil with its mining switched off and on: the
 * bot never waits for a receipt where it must answer (votes, commands, start-up), a sent
 * transaction stays pending through RPC failures and restarts until it is settled, and its
 * result is posted once, also when the store was down as it came in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class ChainActionRestartTest {

    private DemoChain devnet;
    @TempDir
    Path data;

    @BeforeAll
    void devnet(DemoChain devnet) {
        this.devnet = devnet;
    }

    private FirebreakConfig config(String rpcUrl) {
        return DevnetConfig.load(devnet, Map.of("FIREBREAK_CHAIN_RPC_URL", rpcUrl, "FIREBREAK_CHAIN_RPC_FALLBACK_URL", rpcUrl));
    }

    private String store() {
        return "jdbc:sqlite:" + data.resolve("firebreak.db");
    }

    private long nonce(String account, String block) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", devnet.address(account), block).asText());
    }

    /** The hash of the transaction signed for request A-{@code requestId}. */
    private static String txHash(ConsoleBot bot, long requestId) {
        return bot.database().jdbi().withHandle(h -> h.createQuery("SELECT tx_hash FROM chain_transactions WHERE execution_key = :k")
                .bind("k", bot.request(requestId).executionKey()).mapTo(String.class).one());
    }

    private boolean pendingOnNode(String txHash) {
        return !devnet.rpc().call("eth_getTransactionByHash", txHash).isNull()
                && devnet.rpc().call("eth_getTransactionReceipt", txHash).isNull();
    }

    /** Requests the pause of {@code contract} and has bob and carol approve it; returns once it is sent and waits. */
    private static void pauseApprovedAndSent(ConsoleBot bot, String contract, long requestId) {
        assertThat(bot.say("alice", "/action pause " + contract).message().plainText()).contains("A-" + requestId + " posted");
        bot.approve(requestId, "bob", "carol");
        bot.awaitState(requestId, ApprovalState.SENT);
        bot.awaitOutput("A-" + requestId + " sent tx ");
    }

    @Test
    void a_restart_with_an_unmined_transaction_starts_at_once_and_posts_the_result_once_it_is_mined() {
        devnet.rpc().call("evm_setAutomine", false);
        long before = nonce("guardian", "latest");
        FirebreakConfig config = config(devnet.rpcUrl());
        String firstOutput;
        String hash;
        try (ConsoleBot first = ConsoleBot.started(config, store())) {
            pauseApprovedAndSent(first, "l2OutputOracle", 1);
            hash = txHash(first, 1);
            assertThat(pendingOnNode(hash)).isTrue();
            firstOutput = first.output();
        }   // Firebreak stops while the transaction waits for its receipt

        try (ConsoleBot second = ConsoleBot.assemble(config, store()).start()) {   // start() fails unless it returns within 5 s
            assertThat(second.say("alice", "/help").message().plainText()).as("commands are answered meanwhile").contains("/incident");
            assertThat(second.state(1)).isEqualTo(ApprovalState.SENT);
            assertThat(second.output()).doesNotContain("A-1 done").doesNotContain("interrupted");

            devnet.rpc().call("anvil_mine", "0x1");
            second.awaitState(1, ApprovalState.SUCCEEDED);
            String all = firstOutput + second.awaitOutput("A-1 done");
            assertThat(ConsoleBot.count(all, "A-1 done")).as("posted once").isEqualTo(1);
            assertThat(ConsoleBot.count(all, "A-1 sent tx " + hash)).as("sent once, waited for on the same hash").isEqualTo(1);
            assertThat(all).contains("l2OutputOracle.paused() == true: holds (was false, now true)").contains(hash);
            assertThat(nonce("guardian", "latest")).as("one transaction, never a second").isEqualTo(before + 1);
        }
    }

    @Test
    void while_an_approved_action_waits_for_its_receipt_other_votes_count_at_once_and_the_same_action_is_not_requested_again() {
        devnet.rpc().call("evm_setAutomine", false);
        try (ConsoleBot bot = ConsoleBot.started(config(devnet.rpcUrl()), store())) {
            assertThat(bot.say("alice", "/action pause pilOrchestrator").message().plainText()).contains("A-1 posted");
            pauseApprovedAndSent(bot, "l2OutputOracle", 2);   // carol's approval returned at once though the receipt is not in

            bot.approve(1, "bob");   // returns within 5 s
            bot.awaitOutput("bob approved A-1 (1/2)");
            assertThat(bot.request(1).state()).isEqualTo(ApprovalState.PENDING);
            assertThat(bot.state(2)).isEqualTo(ApprovalState.SENT);

            long pending = nonce("guardian", "pending");
            Reply again = bot.say("alice", "/action pause l2OutputOracle");
            assertThat(again.message().plainText()).contains("A-2 already runs this exact action")
                    .contains("sent tx " + txHash(bot, 2)).contains("nothing new was requested");
            assertThat(bot.output()).doesNotContain("A-3");
            assertThat(nonce("guardian", "pending")).as("no second transaction queued behind the first").isEqualTo(pending);

            devnet.rpc().call("anvil_mine", "0x1");
            bot.awaitState(2, ApprovalState.SUCCEEDED);
            bot.awaitOutput("A-2 done");
        }
    }

    @Test
    void rpc_failures_while_waiting_are_retried_and_the_transaction_counts_once_mined() {
        devnet.rpc().call("evm_setAutomine", false);
        try (RpcStandIn rpc = RpcStandIn.inFrontOf(devnet.rpcUrl());
             ConsoleBot bot = ConsoleBot.started(config(rpc.url()), store())) {
            pauseApprovedAndSent(bot, "l2OutputOracle", 1);

            rpc.mode(RpcStandIn.Mode.UNAVAILABLE);
            devnet.rpc().call("anvil_mine", "0x1");   // mined while the RPC answers 503
            Eventually.until(() -> rpc.failedCalls() >= 3, "for the wait to try the failing RPC again");
            assertThat(bot.state(1)).as("503s are not a failure of the action").isEqualTo(ApprovalState.SENT);

            rpc.mode(RpcStandIn.Mode.DROP);
            int failed = rpc.failedCalls();
            Eventually.until(() -> rpc.failedCalls() >= failed + 2, "for the wait to try the dropping RPC again");
            assertThat(bot.state(1)).as("dropped connections are not a failure of the action").isEqualTo(ApprovalState.SENT);
            assertThat(bot.output()).doesNotContain("A-1 failed");

            rpc.mode(RpcStandIn.Mode.PASS);
            bot.awaitState(1, ApprovalState.SUCCEEDED);
            assertThat(bot.awaitOutput("A-1 done")).contains("l2OutputOracle.paused() == true: holds (was false, now true)");
        }
    }

    @Test
    void a_transaction_the_node_dropped_is_sent_again_byte_for_byte() {
        devnet.rpc().call("evm_setAutomine", false);
        long before = nonce("guardian", "latest");
        try (ConsoleBot bot = ConsoleBot.started(config(devnet.rpcUrl()), store())) {
            pauseApprovedAndSent(bot, "l2OutputOracle", 1);
            String hash = txHash(bot, 1);
            devnet.rpc().call("anvil_dropTransaction", hash);
            devnet.rpc().call("anvil_mine", "0x1");   // an empty block: the node forgot the transaction
            Eventually.until(() -> pendingOnNode(hash), "for the same transaction to be sent again");
            assertThat(bot.state(1)).isEqualTo(ApprovalState.SENT);

            devnet.rpc().call("anvil_mine", "0x1");
            bot.awaitState(1, ApprovalState.SUCCEEDED);
            assertThat(bot.awaitOutput("A-1 done")).contains(hash);
            assertThat(nonce("guardian", "latest")).isEqualTo(before + 1);
        }
    }

    @Test
    void a_transaction_whose_nonce_another_transaction_took_is_reported_replaced_and_nothing_else_is_sent() throws Exception {
        devnet.rpc().call("evm_setAutomine", false);
        try (ConsoleBot bot = ConsoleBot.started(config(devnet.rpcUrl()), store())) {
            pauseApprovedAndSent(bot, "l2OutputOracle", 1);
            long nonce = nonce("guardian", "latest");
            // someone replaces it from the same key with a higher fee (a "cancel" with cast send --nonce)
            Credentials guardian = Credentials.create(devnet.env().get("FIREBREAK_GUARDIAN_KEY"));
            RawTransaction cancel = RawTransaction.createTransaction(DemoChain.CHAIN_ID, BigInteger.valueOf(nonce),
                    BigInteger.valueOf(21_000), guardian.getAddress(), BigInteger.ZERO, "0x",
                    BigInteger.valueOf(50_000_000_000L), BigInteger.valueOf(500_000_000_000L));
            String replacement = devnet.rpc().call("eth_sendRawTransaction",
                    Numeric.toHexString(TransactionEncoder.signMessage(cancel, DemoChain.CHAIN_ID, guardian))).asText();
            devnet.rpc().call("anvil_mine", "0x1");
            assertThat(devnet.rpc().call("eth_getTransactionReceipt", replacement).isNull()).isFalse();

            bot.awaitState(1, ApprovalState.FAILED);
            assertThat(bot.awaitOutput("A-1 failed")).contains("nonce " + nonce + " of " + devnet.address("guardian")
                    + " was taken by another transaction").contains("Nothing else was sent");
            assertThat(nonce("guardian", "pending")).isEqualTo(nonce + 1);
        }
    }

    @Test
    void a_runbook_waiting_on_a_sent_transaction_goes_on_after_a_restart_once_it_is_mined() {
        devnet.rpc().call("evm_setAutomine", false);
        FirebreakConfig config = config(devnet.rpcUrl());
        try (ConsoleBot first = ConsoleBot.started(config, store())) {
            assertThat(first.say("alice", "/runbook run jeju-oracle-pause").message().plainText()).contains("R-1: waiting");
            first.approve(1, "bob", "carol");
            first.awaitState(1, ApprovalState.SENT);
        }
        try (ConsoleBot second = ConsoleBot.started(config, store())) {
            assertThat(second.run(1).state()).isEqualTo(RunbookRun.State.WAITING);
            devnet.rpc().call("anvil_mine", "0x1");
            String output = second.awaitOutput("Runbook jeju-oracle-pause (R-1) finished");
            assertThat(output).contains("A-1 done").contains("Step 2/5 `/diag read l2OutputOracle paused`");
            assertThat(second.run(1).state()).isEqualTo(RunbookRun.State.DONE);
        }
    }

    @Test
    void a_result_the_store_did_not_take_is_posted_once_the_store_answers() throws Exception {
        devnet.rpc().call("evm_setAutomine", false);
        String store = store() + "?busy_timeout=100";
        try (ConsoleBot bot = ConsoleBot.started(config(devnet.rpcUrl()), store)) {
            pauseApprovedAndSent(bot, "l2OutputOracle", 1);
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("firebreak.db"));
                 Statement lock = other.createStatement()) {
                lock.execute("BEGIN EXCLUSIVE");   // another process holds the store's write lock
                devnet.rpc().call("anvil_mine", "0x1");
                Eventually.until(() -> bot.metrics().get("firebreak.results.unrecorded").gauge().value() == 1,
                        "for the result to be held back while the store is locked");
                assertThat(bot.state(1)).isEqualTo(ApprovalState.SENT);
                bot.firebreak().tick();   // still locked: still held, nothing lost
                assertThat(bot.metrics().get("firebreak.results.unrecorded").gauge().value()).isEqualTo(1);
                lock.execute("ROLLBACK");
            }
            bot.firebreak().tick();
            assertThat(bot.state(1)).isEqualTo(ApprovalState.SUCCEEDED);
            assertThat(bot.metrics().get("firebreak.results.unrecorded").gauge().value()).isZero();
            bot.firebreak().tick();
            String output = bot.awaitOutput("A-1 done");
            assertThat(ConsoleBot.count(output, "A-1 done")).isEqualTo(1);
            assertThat(output).contains("paused() == true: holds");
        }
    }
}
