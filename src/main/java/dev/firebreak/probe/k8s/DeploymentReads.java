package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import dev.firebreak.kernel.InvalidInput;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Reads of a deployment and its revisions shared by probes and actions. */
final class DeploymentReads {

    private DeploymentReads() {}

    static Deployment require(Clusters.Cluster cluster, String name) {
        Deployment deployment = cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName(name).get();
        if (deployment == null) {
            throw new InvalidInput("Deployment " + name + " is on the allow-list but does not exist in "
                    + cluster.name() + "/" + cluster.namespace() + "; check the namespace in bot/clusters.yaml.");
        }
        return deployment;
    }

    /** The deployment's ReplicaSets that carry a revision, oldest first. */
    static List<ReplicaSet> revisions(Clusters.Cluster cluster, Deployment deployment) {
        return replicaSets(cluster, deployment).stream()
                .filter(rs -> revisionNumber(rs) > 0)
                .sorted(Comparator.comparingLong(DeploymentReads::revisionNumber))
                .toList();
    }

    /** The ReplicaSets the deployment's selector finds that it owns (or that name no owner). */
    static List<ReplicaSet> replicaSets(Clusters.Cluster cluster, Deployment deployment) {
        Map<String, String> selector = deployment.getSpec().getSelector() == null ? null
                : deployment.getSpec().getSelector().getMatchLabels();
        var sets = selector == null || selector.isEmpty()
                ? cluster.client().apps().replicaSets().inNamespace(cluster.namespace()).list().getItems()
                : cluster.client().apps().replicaSets().inNamespace(cluster.namespace()).withLabels(selector).list().getItems();
        return sets.stream()
                .filter(rs -> rs.getMetadata().getOwnerReferences() == null || rs.getMetadata().getOwnerReferences().isEmpty()
                        || rs.getMetadata().getOwnerReferences().stream().anyMatch(o -> "Deployment".equals(o.getKind())
                        && deployment.getMetadata().getName().equals(o.getName())))
                .toList();
    }

    static long revisionNumber(ReplicaSet rs) {
        try {
            return Long.parseLong(annotation(rs.getMetadata(), ClusterProbes.REVISION));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String annotation(ObjectMeta meta, String key) {
        if (meta == null || meta.getAnnotations() == null) return "";
        String value = meta.getAnnotations().get(key);
        return value == null ? "" : value;
    }

    static List<String> images(PodTemplateSpec template) {
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) return List.of();
        return template.getSpec().getContainers().stream().map(Container::getImage).toList();
    }
}
