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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulates, signs, stores, broadcasts and confirms one transaction. The signed bytes are stored
 * before they are broadcast; a later call for the same execution key re-broadcasts those bytes
 * and never signs a second transaction.
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

    private static final Duration POLL = Duration.ofMillis(100);

    private final ChainDirectory directory;
    private final SignedTransactions store;
    private final Clock clock;
    private final Duration receiptTimeout;

    TransactionSender(ChainDirectory directory, SignedTransactions store, Clock clock, Duration receiptTimeout) {
        this.directory = directory;
        this.store = store;
        this.clock = clock;
        this.receiptTimeout = receiptTimeout;
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

    /** Signs the transaction and stores it under the key (or returns what is already stored). */
    SignedTransactions.Stored signAndStore(TransactionIntent intent, String planHash, String executionKey, BigInteger gasEstimate) {
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
                nonce.longValueExact(), Hash.sha3(raw), raw, clock.instant(), null));
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

    /** Waits for the receipt and the chain's confirmations, up to the receipt timeout. */
    Confirmed awaitConfirmed(String chain, String txHash) {
        ChainClient client = directory.client(chain);
        Instant deadline = clock.instant().plus(receiptTimeout);
        int wanted = client.spec().confirmations();
        TransactionReceipt receipt = null;
        while (true) {
            if (receipt == null) {
                receipt = client.send(w -> w.ethGetTransactionReceipt(txHash)).getTransactionReceipt().orElse(null);
            }
            if (receipt != null) {
                long head = client.send(w -> w.ethBlockNumber()).getBlockNumber().longValueExact();
                long confirmations = head - receipt.getBlockNumber().longValueExact() + 1;
                if (confirmations >= wanted) {
                    // re-read after the wait: a reorg may have moved or dropped the transaction
                    TransactionReceipt settled = client.send(w -> w.ethGetTransactionReceipt(txHash)).getTransactionReceipt().orElse(null);
                    if (settled != null) {
                        return new Confirmed(txHash, settled.getBlockNumber().longValueExact(), settled.isStatusOK(),
                                head - settled.getBlockNumber().longValueExact() + 1);
                    }
                    receipt = null;
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new SendFailed(receipt == null
                        ? "no receipt for " + txHash + " within " + receiptTimeout.toSeconds() + " s; it is stored and will be re-broadcast if executed again"
                        : txHash + " mined in block " + receipt.getBlockNumber() + " but not yet " + wanted + " confirmations deep after "
                        + receiptTimeout.toSeconds() + " s");
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }
}
