package dev.firebreak.probe;

import dev.firebreak.kernel.InvalidInput;

import java.util.Map;
import java.util.Optional;

/**
 * Something that changes a system: an HTTP POST, a chain transaction, a Kubernetes rollout.
 * Planning validates and (where possible) simulates, and yields the canonical form that
 * approvals bind to; execution runs only from that canonical form, so what was approved is
 * exactly what runs, also after a restart.
 */
public interface Action {

    /** The planning argument that carries a command's {@code via: {safe: <name>}} to a chain action. */
    String VIA_SAFE = "via.safe";

    /** Validates the arguments and describes exactly what would happen. Throws {@link InvalidInput}. */
    PlannedAction plan(Map<String, String> args);

    /**
     * Carries out a planned action. Called at most once per execution key by the approval
     * service; implementations that can be retried safely (a signed transaction) use the key to
     * find earlier work. Failures of the target system are results, not exceptions.
     */
    ActionResult execute(PlannedAction plan, Execution execution);

    /**
     * Whether {@link #execute} may be called again with the same execution after the process stopped
     * mid-execution (true for a signed transaction that is re-broadcast byte for byte; false for
     * an HTTP POST whose effect cannot be checked). Unsafe actions are reported, not repeated.
     */
    default boolean safeToResume() {
        return false;
    }

    /**
     * An approval policy the target's own configuration asks for this plan (e.g.
     * {@code bot/clusters.yaml} gating scale to 0 on mainnet), on top of the command's
     * {@code policy:}; the engine applies the stricter of the two. Empty: the command decides.
     */
    default Optional<String> requiredPolicy(PlannedAction plan) {
        return Optional.empty();
    }
}
