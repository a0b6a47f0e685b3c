package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The objects one deployment owns: itself, its ReplicaSets ({@code <name>-<pod-template-hash>})
 * and their pods ({@code <name>-<pod-template-hash>-<suffix>}), also pods already gone whose
 * events remain. Names are matched exactly, never by prefix, so {@code op-node} does not take in
 * {@code op-node-exporter}'s pods or events.
 */
final class DeploymentObjects {

    private final String deployment;
    private final Set<String> replicaSets;
    private final Pattern podName;

    private DeploymentObjects(String deployment, Set<String> replicaSets, Set<String> templateHashes) {
        this.deployment = deployment;
        this.replicaSets = replicaSets;
        this.podName = templateHashes.isEmpty() ? Pattern.compile("(?!)") // no ReplicaSet, so no pod of its own
                : Pattern.compile(Pattern.quote(deployment) + "-("
                + templateHashes.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")-[a-z0-9]{5}");
    }

    /** Reads the deployment's ReplicaSets once. */
    static DeploymentObjects of(Clusters.Cluster cluster, Deployment deployment) {
        String name = deployment.getMetadata().getName();
        List<ReplicaSet> sets = DeploymentReads.replicaSets(cluster, deployment);
        Set<String> hashes = sets.stream().map(rs -> templateHash(name, rs)).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
        return new DeploymentObjects(name, sets.stream().map(rs -> rs.getMetadata().getName()).collect(Collectors.toSet()), hashes);
    }

    private static String templateHash(String deployment, ReplicaSet rs) {
        Map<String, String> labels = rs.getMetadata().getLabels();
        String label = labels == null ? null : labels.get("pod-template-hash");
        if (label != null && !label.isBlank()) return label;
        String rsName = rs.getMetadata().getName();
        return rsName.startsWith(deployment + "-") ? rsName.substring(deployment.length() + 1) : "";
    }

    /** Whether a pod is one of the deployment's: owned by one of its ReplicaSets, or, without an owner, named like one. */
    boolean ownsPod(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners != null && !owners.isEmpty()) {
            return owners.stream().anyMatch(o -> "ReplicaSet".equals(o.getKind()) && replicaSets.contains(o.getName()));
        }
        return podName.matcher(pod.getMetadata().getName()).matches();
    }

    /** Whether an event's object is the deployment, one of its ReplicaSets, or one of their pods (present or gone). */
    boolean owns(ObjectReference object) {
        if (object == null || object.getName() == null) return false;
        String name = object.getName();
        return switch (object.getKind() == null ? "" : object.getKind()) {
            case "Deployment" -> name.equals(deployment);
            case "ReplicaSet" -> replicaSets.contains(name);
            case "Pod" -> podName.matcher(name).matches();
            default -> false;
        };
    }
}
