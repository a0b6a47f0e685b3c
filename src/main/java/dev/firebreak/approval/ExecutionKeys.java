package dev.firebreak.approval;

import dev.firebreak.probe.PlannedAction;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Execution keys: what an action's target remembers to recognise a repeat of the same execution
 * (the Kubernetes annotation {@code firebreak.dev/execution-key}, the stored signed transaction,
 * the HTTP {@code Idempotency-Key}). Each carries 128 random bits, so keys never repeat across
 * stores, processes or time: a fresh store's A-1 is not an old store's A-1.
 */
public final class ExecutionKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ExecutionKeys() {}

    /** The key of approval request {@code A-<id>}, made once when the request is created and stored with it. */
    public static String forRequest(long requestId) {
        return "A-" + requestId + "-" + random128();
    }

    /** The key of one run of an action that needs no approval. */
    static String forDirectRun(PlannedAction plan) {
        return "direct-" + plan.hash().substring(0, 16) + "-" + random128();
    }

    private static String random128() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
