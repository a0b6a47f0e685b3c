package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.Probe;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes probes and actions by handler name, for the clusters in {@code bot/clusters.yaml}.
 *
 * <p>Probes: {@code k8s.pods}, {@code k8s.logs}, {@code k8s.events}, {@code k8s.nodes},
 * {@code k8s.pvcs}, {@code k8s.history}, {@code k8s.top}. Actions: {@code k8s.restart},
 * {@code k8s.scale}, {@code k8s.undo}. Arguments: {@code cluster} (optional when one is
 * configured), {@code deployment}, {@code lines}, {@code count}, {@code replicas}, {@code revision}.
 */
public final class KubernetesOperations implements AutoCloseable {

    private final Clusters clusters;
    private final Clock clock;

    /** The clusters of {@code bot/clusters.yaml}, reached with this process's kubeconfig and environment. */
    public KubernetesOperations(ClustersConfig config, Clock clock) {
        this(config, KubeEnvironment.ofProcess(), clock);
    }

    public KubernetesOperations(ClustersConfig config, KubeEnvironment environment, Clock clock) {
        this.clusters = new Clusters(config, new ClusterConnector(environment));
        this.clock = clock;
    }

    /**
     * The clusters that cannot be reached exactly as configured (a context missing from the
     * kubeconfig, no kubeconfig, a missing server, user, credential file or plugin, in-cluster
     * access outside a pod). Every call to one of them is refused with the same reason.
     */
    public List<ConfigProblem> connectionProblems() {
        return clusters.connectionProblems();
    }

    public Map<String, Probe> probes() {
        return new ClusterProbes(clusters, clock).probes();
    }

    public Map<String, Action> actions() {
        Map<String, Action> actions = new LinkedHashMap<>();
        actions.put("k8s.restart", new DeploymentAction(DeploymentVerb.RESTART, "k8s.restart", clusters, clock));
        actions.put("k8s.scale", new DeploymentAction(DeploymentVerb.SCALE, "k8s.scale", clusters, clock));
        actions.put("k8s.undo", new DeploymentAction(DeploymentVerb.UNDO, "k8s.undo", clusters, clock));
        return actions;
    }

    /**
     * The approval policy {@code bot/clusters.yaml} asks for this planned action (e.g. scale to 0),
     * empty when it may run at once. Also part of the canonical form under {@code approval}.
     */
    public static Optional<String> approvalPolicy(PlannedAction plan) {
        String policy = plan.canonical().get("approval");
        return policy == null || policy.equals(ActionApprovals.NONE) ? Optional.empty() : Optional.of(policy);
    }

    @Override
    public void close() {
        clusters.close();
    }
}
