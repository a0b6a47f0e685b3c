package dev.firebreak.probe.k8s;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which deployment actions need an approval policy (a name from {@code bot/approvals.yaml}) before
 * they run. A missing entry takes the default: scaling to zero and rollout undo need
 * {@value #DEFAULT_POLICY}, restarts and scaling to one or more replicas run at once. The value
 * {@code none} means no approval.
 */
public record ActionApprovals(String restart, String scale, String scaleToZero, String undo) {

    public static final String DEFAULT_POLICY = "two-approvers";
    public static final String NONE = "none";

    public static ActionApprovals defaults() {
        return new ActionApprovals(null, null, null, null);
    }

    /** The policy for a verb, empty when the action runs without approval. */
    public Optional<String> policyFor(DeploymentVerb verb, int replicas) {
        String configured = switch (verb) {
            case RESTART -> orDefault(restart, NONE);
            case SCALE -> replicas == 0 ? orDefault(scaleToZero, DEFAULT_POLICY) : orDefault(scale, NONE);
            case UNDO -> orDefault(undo, DEFAULT_POLICY);
        };
        return NONE.equals(configured) ? Optional.empty() : Optional.of(configured);
    }

    /** The effective policy of each configurable action, by its key in the YAML. */
    public Map<String, Optional<String>> policies() {
        Map<String, Optional<String>> policies = new LinkedHashMap<>();
        policies.put("restart", policyFor(DeploymentVerb.RESTART, 1));
        policies.put("scale", policyFor(DeploymentVerb.SCALE, 1));
        policies.put("scaleToZero", policyFor(DeploymentVerb.SCALE, 0));
        policies.put("undo", policyFor(DeploymentVerb.UNDO, 0));
        return policies;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
