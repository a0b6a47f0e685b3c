package dev.firebreak.probe.k8s;

import dev.firebreak.demo.k8s.DemoCluster;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.FixedArguments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ClusterProbesTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    static DemoCluster cluster;
    static KubernetesOperations operations;
    static Map<String, Probe> probes;

    @BeforeAll
    static void start() {
        cluster = DemoCluster.start(CLOCK, false);
        operations = new KubernetesOperations(cluster.clustersConfig("demo"), CLOCK);
        probes = operations.probes();
    }

    @AfterAll
    static void stop() {
        operations.close();
        cluster.close();
    }

    static Message.Table table(ProbeResult result) {
        return result.details().blocks().stream().filter(Message.Table.class::isInstance)
                .map(Message.Table.class::cast).findFirst().orElseThrow();
    }

    @Test
    void pods_shows_the_crash_looping_op_node_as_critical() {
        ProbeResult result = probes.get("k8s.pods").run(Map.of("cluster", "demo"));

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.summary()).contains("4 pods", "1 failing");
        List<String> opNode = table(result).rows().stream().filter(r -> r.get(0).startsWith("op-node-")).findFirst().orElseThrow();
        assertThat(opNode.subList(1, 4)).containsExactly("CrashLoopBackOff", "0/1", "23");
        // the mock server stamps creation times itself, by the wall clock: ahead of the test's clock kubectl shows <invalid>
        assertThat(opNode.get(4)).matches("\\d+[smhdy].*|<invalid>");
        assertThat(opNode.get(5)).isEqualTo("ip-10-0-1-17");
    }

    @Test
    void pods_of_one_deployment_uses_its_selector_and_the_only_cluster_by_default() {
        ProbeResult result = probes.get("k8s.pods").run(Map.of("deployment", "op-geth"));

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(table(result).rows()).singleElement().satisfies(row -> {
            assertThat(row.get(0)).startsWith("op-geth-");
            assertThat(row.get(1)).isEqualTo("Running");
            assertThat(row.get(5)).isEqualTo("ip-10-0-2-44");
        });
    }

    @Test
    void a_value_a_run_refuses_is_refused_by_validation_with_the_same_message() {
        for (var bad : List.of(Map.entry("k8s.pods", Map.of("cluster", "demo", "deployment", "deployment/op-node")),
                Map.entry("k8s.logs", Map.of("cluster", "demo", "deployment", "op-node", "lines", "5000")),
                Map.entry("k8s.nodes", Map.of("cluster", "mainnet")))) {
            Probe probe = probes.get(bad.getKey());
            String refused = catchThrowableOfType(InvalidInput.class, () -> probe.run(bad.getValue())).getMessage();
            assertThat(FixedArguments.problem(probe, bad.getValue(), Set.of())).as(bad.getKey())
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        assertThat(FixedArguments.problem(probes.get("k8s.logs"), Map.of("lines", "5000"), Set.of("cluster", "deployment")))
                .as("the number of lines stands on its own: judged although chat names the cluster and deployment")
                .hasValueSatisfying(p -> assertThat(p.argument()).contains("lines"));
    }

    @Test
    void names_are_checked_before_anything_is_asked_of_the_cluster() {
        Probe pods = probes.get("k8s.pods");
        assertThatThrownBy(() -> pods.run(Map.of("deployment", "--all")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("flag")
                .hasMessageContaining("op-node, op-geth, op-batcher, op-proposer");
        assertThatThrownBy(() -> pods.run(Map.of("deployment", "deployment/op-node")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("bare name");
        assertThatThrownBy(() -> pods.run(Map.of("deployment", "Op_Node")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("not a valid Kubernetes name");
        assertThatThrownBy(() -> pods.run(Map.of("deployment", "reth")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("not on the allow-list")
                .hasMessageContaining("Allowed: op-node, op-geth, op-batcher, op-proposer");
        assertThatThrownBy(() -> pods.run(Map.of("cluster", "mainnet")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("Configured clusters: demo");
    }

    @Test
    void bad_input_is_refused_even_when_the_cluster_is_unreachable() {
        ClusterConfig dead = new ClusterConfig(null, null, "http://127.0.0.1:1", null, "op-stack",
                List.of("op-node"), null, 2);
        try (var unreachable = new KubernetesOperations(new ClustersConfig(Map.of("dead", dead)), CLOCK)) {
            assertThatThrownBy(() -> unreachable.probes().get("k8s.logs").run(Map.of("deployment", "op-geth")))
                    .isInstanceOf(InvalidInput.class).hasMessageContaining("Allowed: op-node");

            ProbeResult result = unreachable.probes().get("k8s.pods").run(Map.of());
            assertThat(result.status()).isEqualTo(Status.ERROR);
            assertThat(result.summary()).contains("cluster dead").contains("cannot connect");
        }
    }

    @Test
    void logs_are_tailed_per_pod_and_secrets_are_redacted() {
        ProbeResult opNode = probes.get("k8s.logs").run(Map.of("deployment", "op-node", "lines", "4"));
        String text = opNode.details().plainText();
        assertThat(text).contains("(previous container; now CrashLoopBackOff after 23 restarts)",
                        "failed to load L1 origin", "eth-mainnet.g.alchemy.com/v2/****")
                .doesNotContain("Starting rollup node")
                .doesNotContain("Xk29fLq0aZr7TbPq84mWnCd1").doesNotContain("eyJhbGciOiJIUzI1NiJ9");

        String batcher = probes.get("k8s.logs").run(Map.of("deployment", "op-batcher")).details().plainText();
        assertThat(batcher).contains("--private-key=****", "postgres://****@db:5432/batches",
                        "tx=0x9fc76417374aa880d4449a1f7f31ec597f00b1f6f3dd2d66f4c9c6c445836d8b")
                .doesNotContain("59c6995e998f97a5").doesNotContain("s3cr3t-pw");

        assertThatThrownBy(() -> probes.get("k8s.logs").run(Map.of("deployment", "op-node", "lines", "5000")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("from 1 to 1000");
    }

    @Test
    void events_newest_first_with_warnings_flagged() {
        ProbeResult all = probes.get("k8s.events").run(Map.of());
        assertThat(all.status()).isEqualTo(Status.WARNING);
        assertThat(table(all).rows()).hasSize(4);
        assertThat(table(all).rows().get(0)).containsSubsequence("40s (x23 over 40s)", "Warning", "BackOff");

        ProbeResult batcher = probes.get("k8s.events").run(Map.of("deployment", "op-batcher"));
        assertThat(batcher.status()).isEqualTo(Status.OK);
        assertThat(table(batcher).rows()).singleElement().satisfies(r -> assertThat(r.get(2)).isEqualTo("ScalingReplicaSet"));
    }

    @Test
    void nodes_and_pvcs() {
        ProbeResult nodes = probes.get("k8s.nodes").run(Map.of());
        assertThat(nodes.status()).isEqualTo(Status.OK);
        assertThat(table(nodes).rows()).extracting(r -> r.get(1)).containsExactly("Ready", "Ready");

        ProbeResult pvcs = probes.get("k8s.pvcs").run(Map.of());
        assertThat(pvcs.status()).isEqualTo(Status.OK);
        assertThat(table(pvcs).rows()).anySatisfy(r -> assertThat(r).containsSubsequence("op-geth-data", "Bound", "pvc-4f1c9e2a", "500Gi"));
    }

    @Test
    void rollout_history_lists_revisions_from_replica_sets() {
        ProbeResult history = probes.get("k8s.history").run(Map.of("deployment", "op-node"));

        assertThat(history.summary()).isEqualTo("op-node has 3 revisions, current 3");
        assertThat(table(history).rows()).extracting(r -> r.get(0)).containsExactly("1", "2", "3 (current)");
        assertThat(table(history).rows().get(1).get(2)).endsWith("op-node:v1.9.3");
    }

    @Test
    void top_says_clearly_when_the_cluster_has_no_metrics_api() {
        ProbeResult top = probes.get("k8s.top").run(Map.of());

        assertThat(top.status()).isEqualTo(Status.WARNING);
        assertThat(top.summary()).contains("no metrics API").contains("metrics-server");
    }

    @Test
    void top_shows_usage_where_the_metrics_api_exists() {
        try (DemoCluster withMetrics = DemoCluster.start(CLOCK, true);
             var ops = new KubernetesOperations(withMetrics.clustersConfig("demo"), CLOCK)) {
            ProbeResult top = ops.probes().get("k8s.top").run(Map.of());

            assertThat(top.status()).isEqualTo(Status.OK);
            assertThat(table(top).rows()).anySatisfy(r -> {
                assertThat(r.get(0)).startsWith("op-geth-");
                assertThat(r.subList(1, 3)).containsExactly("1850m", "7450Mi");
            });
        }
    }
}
