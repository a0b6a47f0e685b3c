package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Builds a fabric8 client for one configured cluster, with bounded timeouts and few retries. */
final class ClusterConnector {

    private ClusterConnector() {}

    static KubernetesClient connect(ClusterConfig cluster) {
        Config base;
        if (cluster.runsInCluster()) {
            base = new ConfigBuilder().build();
        } else if (cluster.apiServer() != null && !cluster.apiServer().isBlank()) {
            ConfigBuilder builder = new ConfigBuilder(Config.empty()).withMasterUrl(cluster.apiServer());
            if (cluster.token() != null && cluster.token().isPresent()) {
                builder.withOauthToken(cluster.token().reveal());
            }
            base = builder.build();
        } else {
            base = Config.autoConfigure(cluster.context());
        }
        int timeoutMillis = cluster.timeoutSecondsOrDefault() * 1000;
        Config config = new ConfigBuilder(base)
                .withNamespace(cluster.namespace())
                .withConnectionTimeout(timeoutMillis)
                .withRequestTimeout(timeoutMillis)
                .withRequestRetryBackoffLimit(1)
                .withRequestRetryBackoffInterval(200)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
