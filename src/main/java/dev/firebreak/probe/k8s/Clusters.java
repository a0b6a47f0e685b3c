package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.InvalidInput;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/** The configured clusters by name, each with a lazily built client. */
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
    private final Function<ClusterConfig, KubernetesClient> connector;
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

    Clusters(ClustersConfig config, Function<ClusterConfig, KubernetesClient> connector) {
        this.config = config;
        this.connector = connector;
    }

    /** The cluster named by {@code args.cluster}, or the only one when there is one and none is named. */
    Cluster resolve(Map<String, String> args) {
        String requested = args.get("cluster");
        String known = String.join(", ", config.clusters().keySet());
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
        return new Cluster(name, cluster, () -> clients.computeIfAbsent(name, n -> connector.apply(cluster)));
    }

    /** Like {@link #resolve}, without building a client: for validation only. */
    ClusterConfig configOf(String name) {
        ClusterConfig cluster = config.clusters().get(name);
        if (cluster == null) {
            throw new InvalidInput("Unknown cluster '" + name + "'. Configured clusters: "
                    + String.join(", ", config.clusters().keySet()) + ".");
        }
        return cluster;
    }

    @Override
    public void close() {
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
    }
}
