package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.InvalidInput;

import java.util.regex.Pattern;

/** Kubernetes name syntax (DNS-1123) and the allow-list check, done before any API call. */
final class KubernetesNames {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private KubernetesNames() {}

    static boolean isDnsLabel(String name) {
        return name != null && name.length() <= 63 && DNS_LABEL.matcher(name).matches();
    }

    static boolean isDnsSubdomain(String name) {
        return name != null && name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
    }

    /** Checks a deployment name from chat: syntax first, then the cluster's allow-list. */
    static String deployment(String raw, String clusterName, ClusterConfig cluster) {
        String allowed = String.join(", ", cluster.deployments());
        if (raw == null || raw.isBlank()) {
            throw new InvalidInput("Name a deployment. Allowed in cluster " + clusterName + ": " + allowed + ".");
        }
        String name = raw.strip();
        if (name.startsWith("-")) {
            throw new InvalidInput("'" + name + "' looks like a flag; flags such as --all are not accepted. "
                    + "Name one deployment. Allowed in cluster " + clusterName + ": " + allowed + ".");
        }
        if (name.contains("/")) {
            throw new InvalidInput("'" + name + "' is not a deployment name: write the bare name without a kind "
                    + "or namespace (e.g. op-node, not deployment/op-node). Allowed in cluster " + clusterName + ": " + allowed + ".");
        }
        if (!isDnsSubdomain(name)) {
            throw new InvalidInput("'" + name + "' is not a valid Kubernetes name (lower-case letters, digits, '-' and '.'). "
                    + "Allowed in cluster " + clusterName + ": " + allowed + ".");
        }
        if (!cluster.deployments().contains(name)) {
            throw new InvalidInput("Deployment '" + name + "' is not on the allow-list of cluster " + clusterName
                    + ". Allowed: " + allowed + ". To add one, list it under clusters." + clusterName + ".deployments in bot/clusters.yaml.");
        }
        return name;
    }
}
