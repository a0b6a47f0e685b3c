package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.Message;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSeries;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /diag pods} and {@code /diag events} on the objects kubectl would see: pods held back by
 * init containers (crash-looping, still running, a sidecar, one completed), repeated events with
 * count and first/last timestamps, an event series, and neighbours whose names start with the
 * deployment's ({@code op-node-exporter}, the DaemonSet {@code op-node-metrics}). STATUS,
 * RESTARTS and LAST SEEN read as kubectl's printers make them.
 */
class PodsAndEventsTest {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final List<String> DEPLOYMENTS = List.of("op-node", "op-geth", "op-batcher", "op-proposer", "op-node-exporter");
    static MockCluster cluster;
    static KubernetesOperations operations;

    /** A crash-looping init container's pod: what kubectl get pods shows as Init:CrashLoopBackOff with 12 restarts. */
    static final String CRASHING = MockCluster.podName("op-node", 2);

    @BeforeAll
    static void start() {
        cluster = MockCluster.start();
        seed(cluster, NOW);
        operations = new KubernetesOperations(new ClustersConfig(Map.of("mainnet", new ClusterConfig(null, null, cluster.url(), null,
                MockCluster.NAMESPACE, DEPLOYMENTS, null, 5))), new KubeEnvironment(Map.of(), java.nio.file.Path.of("none")), CLOCK);
    }

    @AfterAll
    static void stop() {
        operations.close();
        cluster.close();
    }

    static String ago(Instant now, Duration duration) {
        return now.minus(duration).toString();
    }

    static MicroTime microAgo(Instant now, Duration duration) {
        return new MicroTime(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC)
                .format(now.minus(duration)));
    }

    static ContainerStatus running(String name) {
        return new ContainerStatusBuilder().withName(name).withImage("img").withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().endRunning().endState().build();
    }

    /** The pods and events; every time is minutes and a half ago, so kubectl, a second later, prints the same ages. */
    static void seed(MockCluster cluster, Instant now) {
        cluster.deployment("op-node", "op-node:v1.9.3", "op-node:v1.9.4");
        cluster.deployment("op-geth", "op-geth:v1.101411.0");
        cluster.deployment("op-batcher", "op-batcher:v1.9.3");
        cluster.deployment("op-proposer", "op-proposer:v1.9.2");
        cluster.deployment("op-node-exporter", "op-node-exporter:v0.3");

        cluster.create(cluster.pod("op-node", 2).editSpec().addNewInitContainer().withName("wait-for-l1").withImage("busybox")
                .endInitContainer().endSpec()
                .withNewStatus().withPhase("Pending")
                .addNewCondition().withType("Initialized").withStatus("False").endCondition()
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("wait-for-l1").withImage("busybox").withReady(false)
                        .withRestartCount(12).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 5m0s restarting failed container=wait-for-l1").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1)
                        .withFinishedAt(ago(now, Duration.ofSeconds(210))).endTerminated().endLastState().build())
                .addToContainerStatuses(new ContainerStatusBuilder().withName("op-node").withImage("op-node:v1.9.4").withReady(false)
                        .withRestartCount(0).withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState().build())
                .endStatus().build());
        cluster.create(cluster.pod("op-geth", 1).editSpec().addNewInitContainer().withName("restore-snapshot").withImage("rclone")
                .endInitContainer().endSpec()
                .withNewStatus().withPhase("Pending")
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("restore-snapshot").withImage("rclone").withReady(false)
                        .withRestartCount(0).withNewState().withNewRunning().endRunning().endState().build())
                .addToContainerStatuses(new ContainerStatusBuilder().withName("op-geth").withImage("op-geth").withReady(false)
                        .withRestartCount(0).withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState().build())
                .endStatus().build());
        cluster.create(cluster.pod("op-batcher", 1).editSpec().addNewInitContainer().withName("vault-agent").withImage("vault")
                .withRestartPolicy("Always").endInitContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addToInitContainerStatuses(running("vault-agent"))
                .addToContainerStatuses(running("op-batcher")).endStatus().build());
        cluster.create(cluster.pod("op-proposer", 1).editSpec().addNewInitContainer().withName("migrate").withImage("migrate")
                .endInitContainer().endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Initialized").withStatus("True").endCondition()
                .addToInitContainerStatuses(new ContainerStatusBuilder().withName("migrate").withImage("migrate").withReady(false)
                        .withRestartCount(0).withNewState().withNewTerminated().withReason("Completed").withExitCode(0).endTerminated()
                        .endState().build())
                .addToContainerStatuses(running("op-proposer")).endStatus().build());
        cluster.create(cluster.pod("op-node-exporter", 1)
                .withNewStatus().withPhase("Running").addToContainerStatuses(running("op-node-exporter")).endStatus().build());
        // a DaemonSet's pod that even carries op-node's label: not op-node's, it belongs to no ReplicaSet of op-node
        cluster.create(new PodBuilder().withNewMetadata().withName("op-node-metrics-q2w8n").withNamespace(MockCluster.NAMESPACE)
                .addToLabels("app", "op-node").addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet")
                .withName("op-node-metrics").withUid("ds-uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("ip-10-0-2-44").addNewContainer().withName("metrics").withImage("img").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addToContainerStatuses(running("metrics")).endStatus().build());

        event(cluster, "op-node-backoff", "Warning", "BackOff", "Pod", CRASHING,
                "Back-off restarting failed container wait-for-l1 in pod " + CRASHING, 57,
                ago(now, Duration.ofSeconds(3630)), ago(now, Duration.ofSeconds(930)), null, null);
        event(cluster, "op-node-unhealthy", "Warning", "Unhealthy", "Pod", CRASHING, "Readiness probe failed: connection refused",
                null, null, null, microAgo(now, Duration.ofSeconds(5430)), new EventSeries(12, microAgo(now, Duration.ofSeconds(1230))));
        event(cluster, "op-node-scaled", "Normal", "ScalingReplicaSet", "Deployment", "op-node",
                "Scaled up replica set op-node-" + MockCluster.hash("op-node", 2) + " to 1", 1,
                ago(now, Duration.ofSeconds(1530)), ago(now, Duration.ofSeconds(1530)), null, null);
        event(cluster, "op-node-rs-created", "Normal", "SuccessfulCreate", "ReplicaSet", "op-node-" + MockCluster.hash("op-node", 2),
                "Created pod: " + CRASHING, 1, ago(now, Duration.ofSeconds(1590)), ago(now, Duration.ofSeconds(1590)), null, null);
        String gone = "op-node-" + MockCluster.hash("op-node", 1) + "-b7d4q";
        event(cluster, "op-node-old-killed", "Normal", "Killing", "Pod", gone, "Stopping container op-node", 1,
                ago(now, Duration.ofSeconds(1650)), ago(now, Duration.ofSeconds(1650)), null, null);
        String exporter = MockCluster.podName("op-node-exporter", 1);
        event(cluster, "exporter-backoff", "Warning", "BackOff", "Pod", exporter, "Back-off restarting failed container", 3,
                ago(now, Duration.ofSeconds(2430)), ago(now, Duration.ofSeconds(690)), null, null);
        event(cluster, "exporter-scaled", "Normal", "ScalingReplicaSet", "Deployment", "op-node-exporter", "Scaled up", 1,
                ago(now, Duration.ofSeconds(1830)), ago(now, Duration.ofSeconds(1830)), null, null);
        event(cluster, "metrics-mount", "Warning", "FailedMount", "Pod", "op-node-metrics-q2w8n", "MountVolume.SetUp failed", 1,
                ago(now, Duration.ofSeconds(750)), ago(now, Duration.ofSeconds(750)), null, null);
    }

    static void event(MockCluster cluster, String name, String type, String reason, String kind, String object, String message,
                      Integer count, String first, String last, MicroTime eventTime, EventSeries series) {
        cluster.kubectl().resource(new EventBuilder().withNewMetadata().withName(name).withNamespace(MockCluster.NAMESPACE).endMetadata()
                .withType(type).withReason(reason).withMessage(message).withCount(count).withFirstTimestamp(first).withLastTimestamp(last)
                .withEventTime(eventTime).withSeries(series).withReportingComponent("kubelet")
                .withNewInvolvedObject().withKind(kind).withName(object).withNamespace(MockCluster.NAMESPACE).endInvolvedObject()
                .build()).create();
    }

    static List<List<String>> rows(ProbeResult result) {
        return result.details().blocks().stream().filter(Message.Table.class::isInstance).map(Message.Table.class::cast)
                .findFirst().orElseThrow().rows();
    }

    @Test
    void a_pod_whose_init_container_crash_loops_is_failing_with_that_containers_restarts() {
        ProbeResult result = operations.probes().get("k8s.pods").run(Map.of("cluster", "mainnet", "deployment", "op-node"));

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.summary()).isEqualTo("1 pod in mainnet/op-stack deployment op-node, 1 failing");
        assertThat(rows(result)).singleElement().satisfies(row ->
                assertThat(row.subList(0, 4)).containsExactly(CRASHING, "Init:CrashLoopBackOff", "0/1", "12 (3m30s ago)"));
    }

    @Test
    void every_pod_reads_as_kubectl_get_pods_shows_it() {
        ProbeResult result = operations.probes().get("k8s.pods").run(Map.of());

        assertThat(rows(result)).extracting(row -> String.join(" ", row.subList(0, 4))).containsExactly(
                MockCluster.podName("op-batcher", 1) + " Running 2/2 0",
                MockCluster.podName("op-geth", 1) + " Init:0/1 0/1 0",
                CRASHING + " Init:CrashLoopBackOff 0/1 12 (3m30s ago)",
                MockCluster.podName("op-node-exporter", 1) + " Running 1/1 0",
                "op-node-metrics-q2w8n Running 1/1 0",
                MockCluster.podName("op-proposer", 1) + " Running 1/1 0");
        assertThat(result.summary()).isEqualTo("6 pods in mainnet/op-stack, 1 failing, 1 not ready");
    }

    @Test
    void the_logs_of_a_pod_held_back_by_its_init_container_are_that_containers_previous_logs() {
        cluster.requestsSinceMark();
        operations.probes().get("k8s.logs").run(Map.of("deployment", "op-node", "lines", "20"));

        assertThat(cluster.requestsSinceMark()).extracting(MockCluster.Request::path)
                .anySatisfy(path -> assertThat(path).startsWith("/api/v1/namespaces/op-stack/pods/" + CRASHING + "/log?")
                        .contains("container=wait-for-l1").contains("previous=true").contains("tailLines=20"));
    }

    @Test
    void a_deployments_events_are_its_own_newest_first_with_repeats_as_kubectl_shows_them() {
        ProbeResult result = operations.probes().get("k8s.events").run(Map.of("deployment", "op-node"));

        assertThat(rows(result)).extracting(row -> String.join(" | ", row.subList(0, 4))).containsExactly(
                "15m (x57 over 60m) | Warning | BackOff | Pod/" + CRASHING,
                "20m (x12 over 90m) | Warning | Unhealthy | Pod/" + CRASHING,
                "25m | Normal | ScalingReplicaSet | Deployment/op-node",
                "26m | Normal | SuccessfulCreate | ReplicaSet/op-node-" + MockCluster.hash("op-node", 2),
                "27m | Normal | Killing | Pod/op-node-" + MockCluster.hash("op-node", 1) + "-b7d4q");
        assertThat(result.summary()).isEqualTo("5 recent events in mainnet/op-stack op-node, 2 warnings");
        assertThat(result.details().plainText()).doesNotContain("op-node-exporter").doesNotContain("op-node-metrics");
    }

    @Test
    void op_node_exporter_has_its_own_events_and_the_namespace_shows_them_all() {
        assertThat(rows(operations.probes().get("k8s.events").run(Map.of("deployment", "op-node-exporter"))))
                .extracting(row -> row.get(0) + " " + row.get(3))
                .containsExactly("11m (x3 over 40m) Pod/" + MockCluster.podName("op-node-exporter", 1), "30m Deployment/op-node-exporter");
        assertThat(rows(operations.probes().get("k8s.events").run(Map.of()))).hasSize(8);
    }
}
