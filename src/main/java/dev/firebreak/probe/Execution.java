package dev.firebreak.probe;

/**
 * The permission under which a planned action is carried out, with the key that makes its
 * execution idempotent (a Kubernetes annotation, a stored signed transaction, an HTTP
 * Idempotency-Key). An action that its target's configuration gates refuses anything but an
 * {@link Approved} execution for exactly its plan.
 */
public sealed interface Execution permits Execution.Approved, Execution.Ungated {

    String key();

    /** Who is told what the execution has done that outlives the process (a transaction sent). */
    default Progress progress() {
        return Progress.NONE;
    }

    /** Told when an execution has done something that must be waited for, across restarts. */
    @FunctionalInterface
    interface Progress {
        Progress NONE = what -> {};

        /** A chain transaction is broadcast and waits for its receipt, e.g. "sent tx 0xab.. (nonce 4)". */
        void sent(String what);

        /** Progress while the execution waits on others before it sends, e.g. "2 of 3 owners signed". */
        default void note(String what) {}
    }

    /** Approved through the approval gate: request {@code ref} approved the plan with {@code actionHash}. */
    record Approved(String ref, String actionHash, String key, Progress progress) implements Execution {

        public Approved(String ref, String actionHash, String key) {
            this(ref, actionHash, key, Progress.NONE);
        }

        public boolean covers(PlannedAction plan) {
            return actionHash.equals(plan.hash());
        }
    }

    /** Run at once: neither the command nor the target asked for approval. */
    record Ungated(String key) implements Execution {}

    static Execution approved(PlannedAction plan, String ref) {
        return new Approved(ref, plan.hash(), ref);
    }

    static Execution ungated(String key) {
        return new Ungated(key);
    }
}
