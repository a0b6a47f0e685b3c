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
 * and their pods: those its selector finds that no other controller owns, and, for events, also
 * pods already gone, by their exact name {@code <name>-<pod-template-hash>-<suffix>}. Names are
 * never matched by prefix, so {@code op-node} does not take in {@code op-node-exporter}'s pods
 * or events, nor a DaemonSet's pods that carry op-node's labels.
 */
final class DeploymentObjects {

    private final String deployment;
    private final Set<String> replicaSets;
    private final List<Pod> pods;
    private final Set<String> podNames;
    private final Pattern podName;

    private DeploymentObjects(String deployment, Set<String> replicaSets, Set<String> templateHashes, List<Pod> pods) {
        this.deployment = deployment;
        this.replicaSets = replicaSets;
        this.pods = pods;
        this.podNames = pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        this.podName = templateHashes.isEmpty() ? Pattern.compile("(?!)") // no ReplicaSet, so no pod of its own
                : Pattern.compile(Pattern.quote(deployment) + "-("
                + templateHashes.stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")-[a-z0-9]{5}");
    }

    /** Reads the deployment's ReplicaSets and pods (two list requests). */
    static DeploymentObjects of(Clusters.Cluster cluster, Deployment deployment) {
        String name = deployment.getMetadata().getName();
        List<ReplicaSet> sets = DeploymentReads.replicaSets(cluster, deployment);
        Set<String> setNames = sets.stream().map(rs -> rs.getMetadata().getName()).collect(Collectors.toSet());
        Set<String> hashes = sets.stream().map(rs -> templateHash(name, rs)).filter(h -> !h.isEmpty()).collect(Collectors.toSet());
        Map<String, String> selector = deployment.getSpec() == null || deployment.getSpec().getSelector() == null
                || deployment.getSpec().getSelector().getMatchLabels() == null
                ? Map.of() : deployment.getSpec().getSelector().getMatchLabels();
        List<Pod> pods = selector.isEmpty() ? List.of()
                : cluster.client().pods().inNamespace(cluster.namespace()).withLabels(selector).list().getItems().stream()
                .filter(pod -> ownedBy(pod, setNames)).toList();
        return new DeploymentObjects(name, setNames, hashes, pods);
    }

    /** A selected pod is the deployment's unless another controller owns it (as the ReplicaSet controller adopts orphans). */
    private static boolean ownedBy(Pod pod, Set<String> replicaSets) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
        if (owners == null || owners.isEmpty()) return true;
        return owners.stream().anyMatch(o -> "ReplicaSet".equals(o.getKind()) && replicaSets.contains(o.getName()));
    }

    private static String templateHash(String deployment, ReplicaSet rs) {
        Map<String, String> labels = rs.getMetadata().getLabels();
        String label = labels == null ? null : labels.get("pod-template-hash");
        if (label != null && !label.isBlank()) return label;
        String rsName = rs.getMetadata().getName();
        return rsName.startsWith(deployment + "-") ? rsName.substring(deployment.length() + 1) : "";
    }

    /** The deployment's pods now. */
    List<Pod> pods() {
        return pods;
    }

    /** Whether an event's object is the deployment, one of its ReplicaSets, or one of their pods (present or gone). */
    boolean owns(ObjectReference object) {
        if (object == null || object.getName() == null) return false;
        String name = object.getName();
        return switch (object.getKind() == null ? "" : object.getKind()) {
            case "Deployment" -> name.equals(deployment);
            case "ReplicaSet" -> replicaSets.contains(name);
            case "Pod" -> podNames.contains(name) || podName.matcher(name).matches();
            default -> false;
        };
    }
}
