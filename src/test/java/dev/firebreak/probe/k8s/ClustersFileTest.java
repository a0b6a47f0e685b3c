package dev.firebreak.probe.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.demo.k8s.DemoCluster;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped bot/clusters.yaml and commands/*-k8s.yaml fit the code. */
class ClustersFileTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void bot_clusters_yaml_parses_strictly_and_has_no_problems() throws IOException {
        ClustersConfig config = YAML.readValue(Path.of("bot/clusters.yaml").toFile(), ClustersConfig.class);

        assertThat(config.clusters()).containsOnlyKeys("mainnet", "mainnet-indexer", "testnet");
        assertThat(config.problems(Set.of("two-approvers"))).isEmpty();
        assertThat(config.clusters().get("testnet").approvalsOrDefault().policyFor(DeploymentVerb.SCALE, 0)).isEmpty();
    }

    @Test
    void every_handler_named_in_the_commands_exists_and_every_arg_is_one_the_handlers_read() throws IOException {
        try (var ops = new KubernetesOperations(new ClustersConfig(Map.of()), Clock.systemUTC())) {
            Set<String> handlers = new HashSet<>(ops.probes().keySet());
            handlers.addAll(ops.actions().keySet());
            Set<String> known = Set.of("cluster", "deployment", "lines", "count", "replicas", "revision", "stop");
            for (String file : List.of("commands/diag-k8s.yaml", "commands/action-k8s.yaml")) {
                JsonNode root = YAML.readTree(Path.of(file).toFile());
                for (JsonNode sub : root.get("subcommands")) {
                    String handler = sub.has("probe") ? sub.get("probe").asText() : sub.get("action").asText();
                    assertThat(handlers).as(file + " " + sub.get("name")).contains(handler);
                    sub.get("args").forEach(arg -> assertThat(known).contains(arg.get("name").asText()));
                }
            }
        }
    }

    @Test
    void the_demo_cluster_config_is_valid() {
        try (DemoCluster demo = DemoCluster.start(Clock.systemUTC(), false)) {
            assertThat(demo.clustersConfig("demo").problems()).isEmpty();
            assertThat(demo.apiServerUrl()).startsWith("http://127.0.0.1:");
        }
    }
}
