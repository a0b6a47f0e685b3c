package dev.firebreak.probe;

import dev.firebreak.kernel.InvalidInput;

import java.util.Map;
import java.util.Optional;

/**
 * Something that changes a system: an HTTP POST, a chain transaction, a Kubernetes rollout.
 * Planning validates and (where possible) simulates, and yields the canonical form that
 * approvals bind to; execution runs only from that canonical form, so what was approved is
 * exactly what runs, also after a restart.
 *
 * <p>Planning is written as two steps, as a {@link Probe} is, so that what judges the arguments is
 * the same whether the action is planned or only checked: {@link #prepare} judges them (throwing
 * {@link InvalidInput} saying what is wrong and how to fix it) without reaching anything, neither
 * the system it changes nor a signer's key nor the store, and returns the {@link Planning} that
 * plans against the live system. {@link #plan} is the one and the other; {@link #validate} is the
 * first alone, for {@code firebreak check} ({@link FixedArguments}).
 */
public interface Action {

    /** The planning argument that carries a command's {@code via: {safe: <name>}} to a chain action. */
    String VIA_SAFE = "via.safe";

    /** What an action does with arguments it accepted: reads the live system, simulates, and describes the change. */
    @FunctionalInterface
    interface Planning {
        /** Throws {@link InvalidInput} when the live system refuses it (a reverting simulation, a paused deployment ...). */
        PlannedAction plan();
    }

    /**
     * Judges the arguments and returns what plans with them; reaches nothing. Every rule about an
     * argument's value is applied here, not in the planning, or {@code check} cannot see it.
     *
     * @param args the command's arguments by name, merged with the fixed {@code with:} parameters of
     *             the command definition in {@code commands/} (and {@link #VIA_SAFE})
     * @throws InvalidInput when an argument cannot be used, with what to give instead
     */
    Planning prepare(Map<String, String> args);

    /** Judges the arguments, then plans against the live system: describes exactly what would happen. Throws {@link InvalidInput}. */
    default PlannedAction plan(Map<String, String> args) {
        return prepare(args).plan();
    }

    /** Judges the arguments as {@link #plan} does, with its messages, and reaches nothing. */
    default void validate(Map<String, String> args) {
        prepare(args);
    }

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
