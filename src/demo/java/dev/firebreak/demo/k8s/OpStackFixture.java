package dev.firebreak.demo.k8s;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seeded state of the demo cluster: an OP Stack in namespace {@code op-stack} with op-node crash-looping. */
final class OpStackFixture {

    static final String NAMESPACE = "op-stack";
    static final String INDEXER_NAMESPACE = "indexer";
    static final List<String> DEPLOYMENTS = List.of("op-node", "op-geth", "op-batcher", "op-proposer");

    /** Deployment, its images by revision (oldest first), and its replicas. */
    private record Component(String name, List<String> images, int replicas) {
        int revision() {
            return images.size();
        }

        String podName() {
            return name + "-" + hash(revision()) + "-x7k2p";
        }

        String hash(int revision) {
            return Integer.toHexString((name + revision).hashCode() & 0xfffffff);
        }
    }

    private static final List<Component> COMPONENTS = List.of(
            new Component("op-node", List.of(
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-node:v1.9.1",
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-node:v1.9.3",
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-node:v1.9.4"), 1),
            new Component("op-geth", List.of(
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-geth:v1.101408.0",
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-geth:v1.101411.0"), 1),
            new Component("op-batcher", List.of(
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-batcher:v1.9.2",
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-batcher:v1.9.3"), 1),
            new Component("op-proposer", List.of(
                    "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-proposer:v1.9.2"), 1));

    private final Clock clock;

    OpStackFixture(Clock clock) {
        this.clock = clock;
    }

    private String ago(Duration duration) {
        return clock.instant().minus(duration).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    void seed(KubernetesClient client) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        for (String node : List.of("ip-10-0-1-17", "ip-10-0-2-44")) {
            createWithStatus(client, new NodeBuilder().withNewMetadata().withName(node)
                    .withCreationTimestamp(ago(Duration.ofDays(41)))
                    .addToLabels("node-role.kubernetes.io/worker", "").endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .withNewNodeInfo().withKubeletVersion("v1.30.4-eks-a737599").endNodeInfo().endStatus().build());
        }
        int nodeIndex = 0;
        for (Component component : COMPONENTS) {
            seedComponent(client, component, nodeIndex++ % 2 == 0 ? "ip-10-0-1-17" : "ip-10-0-2-44");
        }
        for (var claim : List.of(List.of("op-geth-data", "500Gi", "pvc-4f1c9e2a"), List.of("op-node-data", "20Gi", "pvc-8b22d0c1"))) {
            createWithStatus(client, new PersistentVolumeClaimBuilder().withNewMetadata().withName(claim.get(0))
                    .withNamespace(NAMESPACE).withCreationTimestamp(ago(Duration.ofDays(40))).endMetadata()
                    .withNewSpec().withStorageClassName("gp3").withVolumeName(claim.get(2)).withAccessModes("ReadWriteOnce")
                    .withNewResources().addToRequests("storage", new Quantity(claim.get(1))).endResources().endSpec()
                    .withNewStatus().withPhase("Bound").addToCapacity("storage", new Quantity(claim.get(1))).endStatus().build());
        }
        seedIndexer(client);
        String crashing = COMPONENTS.get(0).podName();
        event(client, "op-node-backoff", "Warning", "BackOff", "Pod", crashing,
                "Back-off restarting failed container op-node in pod " + crashing, Duration.ofSeconds(40), 23);
        event(client, "op-node-unhealthy", "Warning", "Unhealthy", "Pod", crashing,
                "Readiness probe failed: Get \"http://10.0.1.88:9545/healthz\": dial tcp 10.0.1.88:9545: connect: connection refused",
                Duration.ofMinutes(2), 9);
        event(client, "op-node-pulled", "Normal", "Pulled", "Pod", crashing,
                "Container image \"" + COMPONENTS.get(0).images().getLast() + "\" already present on machine", Duration.ofMinutes(3), 8);
        event(client, "op-batcher-scaled", "Normal", "ScalingReplicaSet", "Deployment", "op-batcher",
                "Scaled up replica set op-batcher-" + COMPONENTS.get(2).hash(2) + " to 1", Duration.ofDays(2), 1);
    }

    /** Namespace {@code indexer} with the subsquid indexer (seed 002 scales it to 0 when the database is slow). */
    private void seedIndexer(KubernetesClient client) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(INDEXER_NAMESPACE).endMetadata().build()).create();
        Map<String, String> selector = Map.of("app", "subsquid");
        String image = "subsquid/squid-processor:v2.1.0";
        createWithStatus(client, new DeploymentBuilder().withNewMetadata().withName("subsquid").withNamespace(INDEXER_NAMESPACE)
                .withUid("subsquid-uid").withCreationTimestamp(ago(Duration.ofDays(30))).addToLabels(selector)
                .addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels(selector).endMetadata().withNewSpec().addNewContainer()
                .withName("subsquid").withImage(image).endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).endStatus().build());
        createWithStatus(client, new PodBuilder().withNewMetadata().withName("subsquid-5d8f7c9b4-q2w8n").withNamespace(INDEXER_NAMESPACE)
                .withCreationTimestamp(ago(Duration.ofDays(3))).addToLabels(selector).endMetadata()
                .withNewSpec().withNodeName("ip-10-0-2-44").addNewContainer().withName("subsquid").withImage(image).endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(new ContainerStatusBuilder().withName("subsquid")
                        .withImage(image).withReady(true).withRestartCount(0).withNewState().withNewRunning()
                        .withStartedAt(ago(Duration.ofDays(3))).endRunning().endState().build()).endStatus().build());
    }

    private void seedComponent(KubernetesClient client, Component component, String node) {
        Map<String, String> selector = Map.of("app", component.name());
        for (int revision = 1; revision <= component.revision(); revision++) {
            String hash = component.hash(revision);
            boolean current = revision == component.revision();
            client.resource(new ReplicaSetBuilder().withNewMetadata().withName(component.name() + "-" + hash)
                    .withNamespace(NAMESPACE).withCreationTimestamp(ago(Duration.ofDays(10L * (component.revision() - revision) + 1)))
                    .addToLabels(selector).addToLabels("pod-template-hash", hash)
                    .addToAnnotations("deployment.kubernetes.io/revision", String.valueOf(revision))
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(component.name())
                    .withUid(component.name() + "-uid").withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(current ? component.replicas() : 0).withNewSelector().addToMatchLabels(selector)
                    .addToMatchLabels("pod-template-hash", hash).endSelector()
                    .withTemplate(template(component, revision, hash)).endSpec().build()).create();
        }
        boolean crashLooping = component.name().equals("op-node");
        createWithStatus(client, new DeploymentBuilder().withNewMetadata().withName(component.name()).withNamespace(NAMESPACE)
                .withUid(component.name() + "-uid").withCreationTimestamp(ago(Duration.ofDays(40)))
                .addToLabels(selector).addToAnnotations("deployment.kubernetes.io/revision", String.valueOf(component.revision()))
                .endMetadata()
                .withNewSpec().withReplicas(component.replicas()).withNewSelector().addToMatchLabels(selector).endSelector()
                .withTemplate(template(component, component.revision(), null)).endSpec()
                .withNewStatus().withReplicas(component.replicas()).withReadyReplicas(crashLooping ? 0 : component.replicas())
                .withAvailableReplicas(crashLooping ? 0 : component.replicas()).endStatus().build());
        var containerStatus = new ContainerStatusBuilder().withName(component.name()).withImage(component.images().getLast())
                .withReady(!crashLooping).withRestartCount(crashLooping ? 23 : 0);
        if (crashLooping) {
            containerStatus.withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                    .withMessage("back-off 5m0s restarting failed container").endWaiting().endState()
                    .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1).endTerminated().endLastState();
        } else {
            containerStatus.withNewState().withNewRunning().withStartedAt(ago(Duration.ofDays(2))).endRunning().endState();
        }
        createWithStatus(client, new PodBuilder().withNewMetadata().withName(component.podName()).withNamespace(NAMESPACE)
                .withCreationTimestamp(ago(crashLooping ? Duration.ofMinutes(95) : Duration.ofDays(2)))
                .addToLabels(selector).addToLabels("pod-template-hash", component.hash(component.revision())).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName(component.name())
                .withImage(component.images().getLast()).endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(containerStatus.build()).endStatus().build());
    }

    private static PodTemplateSpec template(Component component, int revision, String hash) {
        var builder = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", component.name());
        if (hash != null) builder.addToLabels("pod-template-hash", hash);
        return builder.endMetadata().withNewSpec().addNewContainer().withName(component.name())
                .withImage(component.images().get(revision - 1)).endContainer().endSpec().build();
    }

    private void event(KubernetesClient client, String name, String type, String reason, String kind, String object,
                       String message, Duration ago, int count) {
        String at = ago(ago);
        client.resource(new EventBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withType(type).withReason(reason).withMessage(message).withCount(count)
                .withFirstTimestamp(at).withLastTimestamp(at)
                .withNewInvolvedObject().withKind(kind).withName(object).withNamespace(NAMESPACE).endInvolvedObject()
                .build()).create();
    }

    private static void createWithStatus(KubernetesClient client, HasMetadata resource) {
        client.resource(resource).create();
        client.resource(resource).updateStatus();
    }

    /** Log text by pod name; the op-node and op-batcher logs carry secrets that the probe must redact. */
    Map<String, String> logs() {
        Map<String, String> logs = new LinkedHashMap<>();
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        logs.put(COMPONENTS.get(0).podName(), "");
        logs.put(COMPONENTS.get(0).podName() + DemoCluster.PREVIOUS, String.join("\n",
                "t=" + now.minusSeconds(75) + " lvl=info msg=\"Starting rollup node\" version=v1.9.4",
                "t=" + now.minusSeconds(74) + " lvl=info msg=\"Initializing L1 client\" url=https://eth-mainnet.g.alchemy.com/v2/Xk29fLq0aZr7TbPq84mWnCd1 ",
                "t=" + now.minusSeconds(73) + " lvl=info msg=\"connecting to L2\" url=http://op-geth:8551 jwt=\"Bearer eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjE3MDB9.sig-4f3d2a\"",
                "t=" + now.minusSeconds(61) + " lvl=eror msg=\"failed to fetch L1 block\" err=\"429 Too Many Requests\"",
                "t=" + now.minusSeconds(60) + " lvl=crit msg=\"Application failed\" err=\"failed to load L1 origin: context deadline exceeded\""));
        logs.put(COMPONENTS.get(1).podName(), String.join("\n",
                "INFO [" + now.minusSeconds(12) + "] Imported new potential chain segment number=18,442,117 hash=0x4b1c..9e0a",
                "INFO [" + now.minusSeconds(10) + "] Chain head was updated number=18,442,117"));
        logs.put(COMPONENTS.get(2).podName(), String.join("\n",
                "t=" + now.minusSeconds(300) + " lvl=info msg=\"starting batcher\" --private-key=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
                "t=" + now.minusSeconds(240) + " lvl=info msg=\"Transaction confirmed\" tx=0x9fc76417374aa880d4449a1f7f31ec597f00b1f6f3dd2d66f4c9c6c445836d8b",
                "t=" + now.minusSeconds(30) + " lvl=warn msg=\"Publishing channel\" db=postgres://batcher:s3cr3t-pw@db:5432/batches"));
        logs.put(COMPONENTS.get(3).podName(), "t=" + now.minusSeconds(600) + " lvl=info msg=\"proposed output\" l2_block=18440000");
        return logs;
    }

    /** A PodMetricsList as metrics-server would serve it. */
    String podMetricsJson() {
        StringBuilder items = new StringBuilder();
        String[][] usage = {{"op-node", "12m", "180Mi"}, {"op-geth", "1850m", "7450Mi"}, {"op-batcher", "45m", "220Mi"}, {"op-proposer", "8m", "95Mi"}};
        for (int i = 0; i < usage.length; i++) {
            if (i > 0) items.append(',');
            items.append("{\"metadata\":{\"name\":\"").append(COMPONENTS.get(i).podName()).append("\",\"namespace\":\"")
                    .append(NAMESPACE).append("\"},\"timestamp\":\"").append(clock.instant()).append("\",\"window\":\"30s\",")
                    .append("\"containers\":[{\"name\":\"").append(usage[i][0]).append("\",\"usage\":{\"cpu\":\"")
                    .append(usage[i][1]).append("\",\"memory\":\"").append(usage[i][2]).append("\"}}]}");
        }
        return "{\"kind\":\"PodMetricsList\",\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"metadata\":{},\"items\":[" + items + "]}";
    }
}
