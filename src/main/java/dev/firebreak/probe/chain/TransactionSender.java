package dev.firebreak.probe.chain;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulates, signs, stores, broadcasts and confirms one transaction. The signed bytes are stored
 * before they are broadcast; a later call for the same execution key re-broadcasts those bytes
 * and never signs a second transaction. A sent transaction is waited for until its receipt (with
 * the chain's confirmations) or until its nonce is seen taken by another transaction; RPC
 * failures meanwhile (refused, timed out, 5xx, error answers) are retried with backoff, and a
 * transaction the node dropped is sent again, byte for byte.
 */
final class TransactionSender {

    /** The outcome of a simulation: a gas estimate, or the revert reason. */
    record Simulation(BigInteger gas, String revertReason) {
        boolean reverted() {
            return revertReason != null;
        }
    }

    /** A mined, confirmed transaction. */
    record Confirmed(String txHash, long block, boolean succeeded, long confirmations) {}

    static final class SendFailed extends RuntimeException {
        SendFailed(String message) {
            super(message);
        }
    }

    /** The thread waiting for a receipt was interrupted (Firebreak stops); the transaction is still stored and pending. */
    static final class Stopped extends RuntimeException {
        Stopped(String message) {
            super(message);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(TransactionSender.class);
    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration MAX_POLL = Duration.ofSeconds(2);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final ChainDirectory directory;
    private final SignedTransactions store;
    private final Clock clock;

    TransactionSender(ChainDirectory directory, SignedTransactions store, Clock clock) {
        this.directory = directory;
        this.store = store;
        this.clock = clock;
    }

    /** eth_call then eth_estimateGas from the signer; a revert carries the node's reason. */
    Simulation simulate(TransactionIntent intent) {
        ChainClient client = directory.client(intent.chain());
        Transaction call = Transaction.createFunctionCallTransaction(intent.from(), null, null, null, intent.target(),
                intent.value(), intent.calldata());
        var result = client.send(w -> w.ethCall(call, DefaultBlockParameterName.LATEST));
        String revert = Reverts.reason(result);
        if (revert != null) return new Simulation(null, revert);
        var estimate = client.send(w -> w.ethEstimateGas(call));
        if (estimate.hasError()) return new Simulation(null, Reverts.reason(estimate.getError()));
        return new Simulation(estimate.getAmountUsed(), null);
    }

    Optional<SignedTransactions.Stored> stored(String executionKey) {
        return store.find(executionKey);
    }

    /**
     * Signs the transaction and stores it under the key (or returns what is already stored), with
     * {@code beforeValue}, what the post-condition read just before.
     */
    SignedTransactions.Stored signAndStore(TransactionIntent intent, String planHash, String executionKey, BigInteger gasEstimate,
                                           String beforeValue) {
        Optional<SignedTransactions.Stored> existing = store.find(executionKey);
        if (existing.isPresent()) return existing.get();
        ChainClient client = directory.client(intent.chain());
        Credentials signer = Signers.credentials(directory.config(), intent.signer());
        BigInteger nonce = client.send(w -> w.ethGetTransactionCount(signer.getAddress(), DefaultBlockParameterName.PENDING)).getTransactionCount();
        EthBlock.Block latest = client.send(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
        BigInteger baseFee = latest.getBaseFeePerGas() == null ? BigInteger.ZERO : latest.getBaseFeePerGas();
        var tipResponse = client.send(w -> w.ethMaxPriorityFeePerGas());
        BigInteger tip = tipResponse.hasError() || tipResponse.getMaxPriorityFeePerGas() == null
                ? BigInteger.valueOf(1_000_000_000L) : tipResponse.getMaxPriorityFeePerGas();
        BigInteger maxFee = baseFee.multiply(BigInteger.TWO).add(tip);
        BigInteger gasLimit = gasEstimate.multiply(BigInteger.valueOf(5)).divide(BigInteger.valueOf(4)).add(BigInteger.valueOf(10_000));
        RawTransaction tx = RawTransaction.createTransaction(intent.chainId(), nonce, gasLimit, intent.target(), intent.value(),
                intent.calldata(), tip, maxFee);
        byte[] signed = TransactionEncoder.signMessage(tx, intent.chainId(), signer);
        String raw = Numeric.toHexString(signed);
        return store.insertOrGet(new SignedTransactions.Stored(executionKey, planHash, intent.chainId(), signer.getAddress(),
                nonce.longValueExact(), Hash.sha3(raw), raw, clock.instant(), null, beforeValue));
    }

    /**
     * Broadcasts the stored bytes. "already known" or "nonce too low" count as sent when the node
     * knows our hash; "nonce too low" for an unknown hash means the nonce went to another transaction.
     */
    void broadcast(String chain, SignedTransactions.Stored stored) {
        ChainClient client = directory.client(chain);
        var response = client.send(w -> w.ethSendRawTransaction(stored.rawTransaction()));
        if (response.hasError()) {
            String message = String.valueOf(response.getError().getMessage()).toLowerCase();
            boolean duplicate = message.contains("already known") || message.contains("already imported")
                    || message.contains("known transaction") || message.contains("nonce too low");
            if (!duplicate) throw new SendFailed("the node rejected the transaction: " + Reverts.reason(response.getError()));
            if (!nodeKnows(client, stored.txHash())) {
                throw new SendFailed("nonce " + stored.nonce() + " of " + stored.sender() + " was used by another transaction; "
                        + stored.txHash() + " was never mined. Nothing else was sent; check the signer's transactions and plan again");
            }
        } else if (!stored.txHash().equalsIgnoreCase(response.getTransactionHash())) {
            throw new SendFailed("the node reported hash " + response.getTransactionHash() + " for stored transaction " + stored.txHash());
        }
        store.markBroadcast(stored.executionKey(), clock.instant());
    }

    private static boolean nodeKnows(ChainClient client, String txHash) {
        return client.send(w -> w.ethGetTransactionByHash(txHash)).getTransaction().isPresent();
    }

    /**
     * Waits for the receipt and the chain's confirmations, as long as that takes. Ends early only
     * when the transaction's nonce is taken by another transaction (a replacement): then it will
     * never be mined. Throws {@link Stopped} when the waiting thread is interrupted.
     */
    Confirmed awaitConfirmed(String chain, SignedTransactions.Stored stored) {
        ChainClient client = directory.client(chain);
        String txHash = stored.txHash();
        int wanted = client.spec().confirmations();
        Duration poll = FIRST_POLL;
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            Duration wait;
            try {
                Confirmed confirmed = confirmedNow(client, stored, wanted);
                if (confirmed != null) return confirmed;
                wait = poll;
                poll = min(poll.multipliedBy(2), MAX_POLL);
                backoff = FIRST_BACKOFF;
            } catch (ChainUnreachable | UnclearAnswer e) {
                log.info("Waiting for {}: RPC failed ({}); trying again in {} ms", txHash, e.getMessage(), backoff.toMillis());
                wait = backoff;
                backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
            }
            LockSupport.parkNanos(wait.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new Stopped("stopped while waiting for the receipt of " + txHash + "; it is stored and waited for again at the next start");
            }
        }
    }

    /** The confirmed transaction, or null while it is pending (sending it again if the node dropped it). */
    private Confirmed confirmedNow(ChainClient client, SignedTransactions.Stored stored, int wanted) {
        String txHash = stored.txHash();
        TransactionReceipt receipt = receipt(client, txHash);
        if (receipt != null) {
            long head = answer(client.send(w -> w.ethBlockNumber())).getBlockNumber().longValueExact();
            if (head - receipt.getBlockNumber().longValueExact() + 1 < wanted) return null;
            // re-read after the wait: a reorg may have moved or dropped the transaction
            TransactionReceipt settled = receipt(client, txHash);
            if (settled == null) return null;
            return new Confirmed(txHash, settled.getBlockNumber().longValueExact(), settled.isStatusOK(),
                    head - settled.getBlockNumber().longValueExact() + 1);
        }
        if (answer(client.send(w -> w.ethGetTransactionByHash(txHash))).getTransaction().isPresent()) return null;
        BigInteger mined = answer(client.send(w -> w.ethGetTransactionCount(stored.sender(), DefaultBlockParameterName.LATEST)))
                .getTransactionCount();
        if (mined.longValueExact() > stored.nonce()) {
            // a receipt could have landed between the two reads
            if (receipt(client, txHash) != null) return null;
            throw new SendFailed("nonce " + stored.nonce() + " of " + stored.sender() + " was taken by another transaction, so "
                    + txHash + " will never be mined. Nothing else was sent; check what that transaction did and plan again");
        }
        log.info("{} is not known to the node any more; sending the same bytes again", txHash);
        var resent = client.send(w -> w.ethSendRawTransaction(stored.rawTransaction()));
        if (resent.hasError()) log.info("Sending {} again was refused: {}", txHash, resent.getError().getMessage());
        return null;
    }

    private static TransactionReceipt receipt(ChainClient client, String txHash) {
        return answer(client.send(w -> w.ethGetTransactionReceipt(txHash))).getTransactionReceipt().orElse(null);
    }

    /** An RPC answer with a JSON-RPC error while waiting is not an answer: it is retried like a failed call. */
    private static <T extends org.web3j.protocol.core.Response<?>> T answer(T response) {
        if (response.hasError()) throw new UnclearAnswer("the node answered with an error: " + response.getError().getMessage());
        if (response.getResult() == null && !(response instanceof org.web3j.protocol.core.methods.response.EthGetTransactionReceipt)
                && !(response instanceof org.web3j.protocol.core.methods.response.EthTransaction)) {
            throw new UnclearAnswer("the node answered without a result");
        }
        return response;
    }

    private static final class UnclearAnswer extends RuntimeException {
        UnclearAnswer(String message) {
            super(message);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
