package dev.firebreak.runbook.packs;

import dev.firebreak.demo.k8s.DemoCluster;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second demo run starts a fresh store whose first request is A-1 again, on a cluster where the
 * first run's A-1 left its mark. The approved stop must still stop op-node, not be reported done.
 */
class FreshStoreExecutionMarkTest {

    static DemoConsole console;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void an_approved_stop_on_a_fresh_store_runs_though_an_earlier_stores_A_1_marked_the_deployment() {
        try (KubernetesClient kubectl = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(console.demo().cluster().apiServerUrl()).build()).build()) {
            kubectl.apps().deployments().inNamespace(DemoCluster.NAMESPACE).withName("op-node").edit(d -> {
                d.getMetadata().getAnnotations().put("firebreak.dev/execution-key", "A-1");
                return d;
            });
        }
        String alice = "alice #" + DemoConsole.incidentChannel("sequencer-down-again") + "> ";
        StringBuilder out = new StringBuilder(console.session("second-run", "alice> /incident declare P0 sequencer down again\n"));
        String requested = console.session("second-run", alice + "/action stop mainnet op-node\n");
        assertThat(requested).contains("Approval needed A-1");

        out.append(GatedSteps.approveAll(console, "second-run", requested));

        assertThat(out).contains("A-1 approved by bob, carol")
                .contains("Scaled mainnet/op-stack deployment/op-node: spec.replicas is 0 (read back)")
                .doesNotContain("Already done");
        assertThat(console.demo().cluster().replicas(DemoCluster.NAMESPACE, "op-node")).isZero();
    }
}
