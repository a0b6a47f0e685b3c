package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.ProbeResult;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Firebreak next to the real kubectl, on the same mock API server (through a proxy that serves the
 * discovery documents kubectl needs): the events as {@code kubectl events} prints them, and the
 * refusals for a paused deployment and for a context the kubeconfig lacks. Skipped where kubectl
 * is not installed.
 */
class KubectlSideBySideTest {

    @TempDir
    static Path dir;
    static MockCluster cluster;
    static RecordingApiProxy proxy;
    static Path kubeconfig;

    @BeforeAll
    static void start() {
        assumeTrue(kubectlInstalled(), "kubectl is not on the PATH");
        cluster = MockCluster.start();
        PodsAndEventsTest.seed(cluster, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        proxy = RecordingApiProxy.forKubectl(cluster.url());
        kubeconfig = new Kubeconfig().context("mainnet", proxy.url()).current("mainnet").writeTo(dir.resolve("kube/config"));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (cluster != null) cluster.close();
    }

    static boolean kubectlInstalled() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    record Kubectl(int exitCode, String output) {}

    static Kubectl kubectl(Path config, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", config.toString()));
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Kubectl(p.exitValue(), output);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static KubernetesOperations firebreak(Clock clock) {
        return new KubernetesOperations(new ClustersConfig(Map.of("mainnet", new ClusterConfig("mainnet", null, null, null,
                MockCluster.NAMESPACE, PodsAndEventsTest.DEPLOYMENTS, null, 5))),
                new KubeEnvironment(Map.of("KUBECONFIG", kubeconfig.toString()), dir.resolve("none")), clock);
    }

    @Test
    void events_read_as_kubectl_events_prints_them() {
        Kubectl printed = kubectl(kubeconfig, "events", "-n", MockCluster.NAMESPACE);
        List<ProbeResult> ours = new ArrayList<>();
        try (var ops = firebreak(Clock.systemUTC())) {
            ours.add(ops.probes().get("k8s.events").run(Map.of()));
        }

        assertThat(printed.exitCode()).as(printed.output()).isZero();
        List<String> lines = printed.output().lines().toList();
        assertThat(lines.getFirst()).startsWith("LAST SEEN").contains("TYPE").contains("REASON").contains("OBJECT").contains("MESSAGE");
        // kubectl lists oldest first, Firebreak newest first
        List<String> kubectlRows = new ArrayList<>(lines.subList(1, lines.size()).stream()
                .map(line -> String.join(" | ", Arrays.asList(line.split("\\s{2,}")).subList(0, 4))).toList());
        java.util.Collections.reverse(kubectlRows);
        List<String> firebreakRows = ours.getFirst().details().blocks().stream().filter(Message.Table.class::isInstance)
                .map(Message.Table.class::cast).findFirst().orElseThrow().rows().stream()
                .map(row -> String.join(" | ", row.subList(0, 4))).toList();
        assertThat(firebreakRows).hasSize(8).isEqualTo(kubectlRows);
        assertThat(firebreakRows).contains("15m (x57 over 60m) | Warning | BackOff | Pod/" + PodsAndEventsTest.CRASHING);
    }

    @Test
    void restart_and_undo_of_a_paused_deployment_are_refused_by_both_and_change_nothing() {
        cluster.kubectl().apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("op-node").edit(d -> {
            d.getSpec().setPaused(true);
            return d;
        });
        Deployment before = cluster.kubectl().apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("op-node").get();
        try {
            Kubectl restart = kubectl(kubeconfig, "rollout", "restart", "deployment/op-node", "-n", MockCluster.NAMESPACE);
            Kubectl undo = kubectl(kubeconfig, "rollout", "undo", "deployment/op-node", "-n", MockCluster.NAMESPACE);
            assertThat(restart.exitCode()).isEqualTo(1);
            assertThat(restart.output()).contains("deployments.apps \"op-node\" can't restart paused deployment (run rollout resume first)");
            assertThat(undo.exitCode()).isEqualTo(1);
            assertThat(undo.output()).contains("you cannot rollback a paused deployment; resume it first");

            try (var ops = firebreak(Clock.systemUTC())) {
                assertThatThrownBy(() -> ops.actions().get("k8s.restart").plan(Map.of("deployment", "op-node")))
                        .isInstanceOf(InvalidInput.class).hasMessageContaining("is paused, and a paused deployment cannot be restarted")
                        .hasMessageContaining("kubectl rollout resume deployment/op-node");
                assertThatThrownBy(() -> ops.actions().get("k8s.undo").plan(Map.of("deployment", "op-node")))
                        .isInstanceOf(InvalidInput.class).hasMessageContaining("is paused, and a paused deployment cannot be rolled back");
            }
            Deployment after = cluster.kubectl().apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("op-node").get();
            assertThat(after.getSpec()).isEqualTo(before.getSpec());
            assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        } finally {
            cluster.kubectl().apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("op-node").edit(d -> {
                d.getSpec().setPaused(false);
                return d;
            });
        }
    }

    @Test
    void a_context_the_kubeconfig_lacks_is_refused_by_both() throws IOException {
        Path onlyStaging = new Kubeconfig().context("staging", proxy.url()).current("staging").writeTo(dir.resolve("staging/config"));
        int asked = proxy.calls().size();

        Kubectl printed = kubectl(onlyStaging, "--context", "mainnet", "get", "pods", "-n", MockCluster.NAMESPACE);
        Map<String, String> env = Map.of("KUBECONFIG", onlyStaging.toString());
        List<String> problems;
        try (var ops = new KubernetesOperations(new ClustersConfig(Map.of("mainnet", new ClusterConfig("mainnet", null, null, null,
                MockCluster.NAMESPACE, PodsAndEventsTest.DEPLOYMENTS, null, 5))), new KubeEnvironment(env, dir.resolve("none")),
                Clock.systemUTC())) {
            problems = ops.connectionProblems().stream().map(p -> p.problem()).toList();
            assertThat(ops.probes().get("k8s.pods").run(Map.of()).summary()).startsWith("Refused: ");
        }

        assertThat(printed.exitCode()).isEqualTo(1);
        assertThat(printed.output()).contains("error: context \"mainnet\" does not exist");
        assertThat(problems).singleElement().asString().contains("context \"mainnet\" does not exist in the kubeconfig " + onlyStaging);
        assertThat(proxy.calls()).as("neither asked the cluster of the current context").hasSize(asked);
        Files.delete(onlyStaging);
    }
}
