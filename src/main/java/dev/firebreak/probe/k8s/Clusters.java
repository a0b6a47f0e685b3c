package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.kernel.InvalidInput;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The configured clusters by name, each with a client built on first use; a cluster that cannot
 * be reached exactly as configured gets no client, and every call to it is refused.
 */
final class Clusters implements AutoCloseable {

    /** One cluster, resolved from a command's {@code cluster} argument; its client is built on first use. */
    record Cluster(String name, ClusterConfig config, Supplier<KubernetesClient> connection) {
        String namespace() {
            return config.namespace();
        }

        KubernetesClient client() {
            return connection.get();
        }
    }

    private final ClustersConfig config;
    private final ClusterConnector connector;
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

    Clusters(ClustersConfig config, ClusterConnector connector) {
        this.config = config;
        this.connector = connector;
    }

    /** The cluster named by {@code args.cluster}, or the only one when there is one and none is named. */
    Cluster resolve(Map<String, String> args) {
        String requested = args.get("cluster");
        String known = String.join(", ", new java.util.TreeSet<>(config.clusters().keySet()));
        String name;
        if (requested == null || requested.isBlank()) {
            if (config.clusters().size() != 1) {
                throw new InvalidInput("Name a cluster. Configured clusters: " + known + ".");
            }
            name = config.clusters().keySet().iterator().next();
        } else {
            name = requested.strip();
            if (!config.clusters().containsKey(name)) {
                throw new InvalidInput("Unknown cluster '" + name + "'. Configured clusters: " + known
                        + " (see bot/clusters.yaml).");
            }
        }
        ClusterConfig cluster = config.clusters().get(name);
        return new Cluster(name, cluster, () -> clients.computeIfAbsent(name, n -> connector.connect(n, cluster)));
    }

    /** Every cluster whose context, API server or credentials cannot be resolved exactly, with why and the fix. */
    List<ConfigProblem> connectionProblems() {
        return new TreeMap<>(config.clusters()).entrySet().stream()
                .flatMap(e -> connector.problem(e.getValue()).stream()
                        .map(why -> new ConfigProblem("bot/clusters.yaml", "clusters." + e.getKey() + "." + why.field(),
                                "cluster " + e.getKey() + " is not usable: " + why.reason(), why.fix())))
                .toList();
    }

    /** Like {@link #resolve}, without building a client: for validation only. */
    ClusterConfig configOf(String name) {
        ClusterConfig cluster = config.clusters().get(name);
        if (cluster == null) {
            throw new InvalidInput("Unknown cluster '" + name + "'. Configured clusters: "
                    + String.join(", ", new java.util.TreeSet<>(config.clusters().keySet())) + ".");
        }
        return cluster;
    }

    @Override
    public void close() {
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
    }
}
