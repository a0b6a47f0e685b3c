package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.Secret;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One cluster in {@code bot/clusters.yaml}. Exactly one way to reach it: {@code context} (a context
 * in the kubeconfig), {@code inCluster: true} (the pod's service account), or {@code apiServer}
 * (an API URL, with an optional bearer {@code token}).
 *
 * @param namespace      the namespace the bot reads and acts in
 * @param deployments    the deployments responders may touch; anything else is refused
 * @param approvals      which actions need which approval policy; absent = defaults
 * @param timeoutSeconds per-request timeout against the API server (default 10)
 */
public record ClusterConfig(
        String context,
        Boolean inCluster,
        String apiServer,
        Secret token,
        String namespace,
        List<String> deployments,
        ActionApprovals approvals,
        Integer timeoutSeconds) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    public ClusterConfig {
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
    }

    public boolean runsInCluster() {
        return Boolean.TRUE.equals(inCluster);
    }

    public ActionApprovals approvalsOrDefault() {
        return approvals == null ? ActionApprovals.defaults() : approvals;
    }

    public int timeoutSecondsOrDefault() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }

    /** The most API calls one probe makes in turn (a deployment, its pods, their logs). */
    static final int CALLS_PER_PROBE = 3;

    /** How long one probe of this cluster may take: each of its API calls within {@code timeoutSeconds}. */
    public java.time.Duration probeTimeout() {
        return java.time.Duration.ofSeconds((long) timeoutSecondsOrDefault() * CALLS_PER_PROBE);
    }

    /** How the bot reaches the cluster, for messages (never the token). */
    public String connectionLabel() {
        if (runsInCluster()) return "in-cluster service account";
        if (apiServer != null && !apiServer.isBlank()) return "API server " + apiServer;
        return "kube context " + context;
    }

    List<String> problems(String path) {
        List<String> problems = new ArrayList<>();
        int ways = (context != null && !context.isBlank() ? 1 : 0) + (runsInCluster() ? 1 : 0)
                + (apiServer != null && !apiServer.isBlank() ? 1 : 0);
        if (ways != 1) {
            problems.add(path + ": " + (ways == 0 ? "no way to reach the cluster" : "more than one way to reach the cluster")
                    + "; set exactly one of context (kubeconfig context name), inCluster: true, or apiServer (URL)");
        }
        if (apiServer != null && !apiServer.isBlank()
                && !(apiServer.startsWith("https://") || apiServer.startsWith("http://"))) {
            problems.add(path + ".apiServer: '" + apiServer + "' is not an http(s) URL; write it like https://10.0.0.1:6443");
        }
        if (namespace == null || namespace.isBlank()) {
            problems.add(path + ".namespace: missing; name the namespace the deployments run in, e.g. op-stack");
        } else if (!KubernetesNames.isDnsLabel(namespace)) {
            problems.add(path + ".namespace: '" + namespace + "' is not a valid namespace name; use lower-case letters, digits and '-', at most 63 characters");
        }
        if (deployments.isEmpty()) {
            problems.add(path + ".deployments: empty; list the deployments responders may touch, e.g. [op-node, op-batcher]");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < deployments.size(); i++) {
            String name = deployments.get(i);
            if (name == null || !KubernetesNames.isDnsSubdomain(name)) {
                problems.add(path + ".deployments[" + i + "]: '" + name + "' is not a valid deployment name; use the bare name, e.g. op-node");
            } else if (!seen.add(name)) {
                problems.add(path + ".deployments[" + i + "]: '" + name + "' is listed twice; list it once");
            }
        }
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > 120)) {
            problems.add(path + ".timeoutSeconds: " + timeoutSeconds + " is out of range; use 1 to 120");
        }
        return problems;
    }
}
