package dev.firebreak.probe.chain;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exactly what a chain action would send: chain, target, function and arguments (encoded into
 * calldata from a configured signature, never taken from the user), value and sender, and the
 * post-condition to read back afterwards.
 */
record TransactionIntent(
        String chain,
        long chainId,
        String target,
        String targetName,
        String function,
        List<String> arguments,
        String calldata,
        BigInteger value,
        String signer,
        String from,
        PostCondition postCondition,
        Map<String, String> inputs) {

    /** What must hold on chain after the transaction, read back once it is confirmed. */
    sealed interface PostCondition {
        String describe();
    }

    /** A contract read that must return {@code expected} after, and did not before, e.g. {@code paused() == true}. */
    record ReadEquals(String contract, FunctionSignature read, List<String> arguments, String expected) implements PostCondition {
        @Override
        public String describe() {
            return contract + "." + read.name() + "(" + String.join(", ", arguments) + ") == " + expected;
        }
    }

    /** An account's balance must have risen by at least {@code wei} from what it was before sending. */
    record BalanceRisesBy(String account, String address, BigInteger wei) implements PostCondition {
        @Override
        public String describe() {
            return "balance of " + account + " rises by >= " + Eth.ether(wei);
        }
    }

    /**
     * A timelock operation scheduled by the transaction: {@code getTimestamp(id)} was 0 before and is
     * the block's time plus the delay after (its ETA).
     */
    record OperationScheduled(String timelock, String address, String operationId, long delaySeconds, String name)
            implements PostCondition {
        @Override
        public String describe() {
            return timelock + ".getTimestamp(" + operationId + ") == block time + " + delaySeconds + " s (pending until its ETA)";
        }
    }

    /** A timelock operation executed by the transaction: {@code isOperationDone(id)}, and the call's own post-condition. */
    record OperationExecuted(String timelock, String address, String operationId, PostCondition call) implements PostCondition {
        @Override
        public String describe() {
            return timelock + ".isOperationDone(" + operationId + ") == true"
                    + (call instanceof None ? "" : " and " + call.describe());
        }
    }

    /** No read-back for a function listed only by configuration. */
    record None() implements PostCondition {
        @Override
        public String describe() {
            return "none configured";
        }
    }

    /** The canonical values an approval binds to. */
    Map<String, String> canonical() {
        Map<String, String> canonical = new LinkedHashMap<>();
        canonical.put("chain", chain);
        canonical.put("chainId", String.valueOf(chainId));
        canonical.put("target", target);
        canonical.put("targetName", targetName);
        canonical.put("function", function);
        canonical.put("arguments", String.join(", ", arguments));
        canonical.put("calldata", calldata);
        canonical.put("value", value.toString());
        canonical.put("from", from);
        canonical.put("postCondition", postCondition.describe());
        inputs.forEach((key, v) -> canonical.put("input." + key, v));
        return canonical;
    }

    static Map<String, String> inputsOf(Map<String, String> canonical) {
        Map<String, String> inputs = new LinkedHashMap<>();
        canonical.forEach((key, value) -> {
            if (key.startsWith("input.")) inputs.put(key.substring("input.".length()), value);
        });
        return inputs;
    }
}
