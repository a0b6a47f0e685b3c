package dev.firebreak.probe.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The root of {@code bot/clusters.yaml}: the Kubernetes clusters responders may look at and act on,
 * by name.
 *
 * <pre>
 * clusters:
 *   mainnet:
 *     context: prod-eks            # a kubeconfig context; or inCluster: true; or apiServer: https://...
 *     namespace: op-stack
 *     deployments: [op-node, op-geth, op-batcher, op-proposer]
 *     approvals: {scaleToZero: two-approvers, undo: two-approvers}
 * </pre>
 */
public record ClustersConfig(Map<String, ClusterConfig> clusters) {

    public ClustersConfig {
        clusters = clusters == null ? Map.of() : Map.copyOf(new TreeMap<>(clusters));
    }

    /** Every semantic problem as {@code "<path>: <what is wrong>; <how to fix>"}; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (clusters.isEmpty()) {
            problems.add("clusters: empty; add at least one cluster with a namespace and its deployments");
        }
        new TreeMap<>(clusters).forEach((name, cluster) -> {
            if (!KubernetesNames.isDnsLabel(name)) {
                problems.add("clusters." + name + ": not a valid cluster name; use lower-case letters, digits and '-'");
            }
            if (cluster == null) {
                problems.add("clusters." + name + ": empty; give it a namespace and deployments");
            } else {
                problems.addAll(cluster.problems("clusters." + name));
            }
        });
        return problems;
    }

    /** Like {@link #problems()}, and also checks that approval policies exist in {@code bot/approvals.yaml}. */
    public List<String> problems(Set<String> knownPolicies) {
        List<String> problems = new ArrayList<>(problems());
        new TreeMap<>(clusters).forEach((name, cluster) -> {
            if (cluster == null) return;
            cluster.approvalsOrDefault().policies().forEach((verb, policy) -> {
                if (policy.isPresent() && !knownPolicies.contains(policy.get())) {
                    problems.add("clusters." + name + ".approvals." + verb + ": unknown policy '" + policy.get()
                            + "'; use one of " + new TreeSet<>(knownPolicies) + " from bot/approvals.yaml, or 'none'");
                }
            });
        });
        return problems;
    }
}
