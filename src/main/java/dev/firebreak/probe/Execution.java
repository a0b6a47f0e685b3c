package dev.firebreak.probe;

/**
 * The permission under which a planned action is carried out, with the key that makes its
 * execution idempotent (a Kubernetes annotation, a stored signed transaction, an HTTP
 * Idempotency-Key). An action that its target's configuration gates refuses anything but an
 * {@link Approved} execution for exactly its plan.
 */
public sealed interface Execution permits Execution.Approved, Execution.Ungated {

    String key();

    /** Approved through the approval gate: request {@code ref} approved the plan with {@code actionHash}. */
    record Approved(String ref, String actionHash, String key) implements Execution {

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
