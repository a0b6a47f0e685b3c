package dev.firebreak.probe;

/**
 * The permission under which a planned action is carried out, with the key that makes its
 * execution idempotent (a Kubernetes annotation, a stored signed transaction, an HTTP
 * Idempotency-Key). An action that its target's configuration gates refuses anything but an
 * {@link Approved} execution for exactly its plan.
 */
public sealed interface Execution permits Execution.Approved, Execution.Ungated {

    String key();

    /**
     * The fencing check, asked again right before something is signed or sent after a wait (a
     * Safe relay once the owners signed, a re-broadcast): false on a replica that no longer leads.
     */
    default boolean mayAct() {
        return true;
    }

    /** Thrown when {@link #mayAct} says no: nothing was sent; the request stays for the leader. */
    final class Deposed extends RuntimeException {
        public Deposed(String what) {
            super("this replica no longer leads: " + what + " was not sent", null, false, false);
        }
    }

    /** Refuses, by throwing {@link Deposed}, when this replica may no longer act. */
    default void checkStillLeading(String what) {
        if (!mayAct()) throw new Deposed(what);
    }

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

        /**
         * What the execution waits for now and until when, e.g. "1 of 3 owners signed, 2 needed"
         * until the Safe's signing window closes; told on every look, shown by {@code /action pending}, not posted.
         */
        default void waiting(String what, java.time.Instant until) {}
    }

    /** Approved through the approval gate: request {@code ref} approved the plan with {@code actionHash}. */
    record Approved(String ref, String actionHash, String key, Progress progress, java.util.function.BooleanSupplier fence)
            implements Execution {

        public Approved(String ref, String actionHash, String key) {
            this(ref, actionHash, key, Progress.NONE);
        }

        public Approved(String ref, String actionHash, String key, Progress progress) {
            this(ref, actionHash, key, progress, () -> true);
        }

        @Override
        public boolean mayAct() {
            return fence.getAsBoolean();
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
