package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Kubernetes API for one test: the fabric8 mock server in CRUD mode on 127.0.0.1, holding what
 * the test creates through {@link #kubectl()}. {@link #requestsSinceMark()} tells what else asked it.
 */
final class MockCluster implements AutoCloseable {

    static final String NAMESPACE = "op-stack";

    private final KubernetesMockServer server;
    private final KubernetesClient kubectl;

    private MockCluster(KubernetesMockServer server) {
        this.server = server;
        this.kubectl = server.createClient();
    }

    static MockCluster start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        MockCluster cluster = new MockCluster(server);
        cluster.kubectl.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
        cluster.requestsSinceMark();
        return cluster;
    }

    String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
    }

    /** A client for the test's own reads and writes (as kubectl would make them). */
    KubernetesClient kubectl() {
        return kubectl;
    }

    /** Creates the object and then its status, as the controllers of a real cluster would have set it. */
    <T extends HasMetadata> T create(T resource) {
        kubectl.resource(resource).create();
        kubectl.resource(resource).updateStatus();
        return resource;
    }

    /**
     * A deployment with one ReplicaSet per image (revision 1, 2, ...) and one pod of the last,
     * named {@code <name>-<hash>-<suffix>} as the ReplicaSet controller names them.
     */
    void deployment(String name, String... images) {
        Map<String, String> selector = Map.of("app", name);
        create(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE)
                .addToLabels(selector).addToAnnotations("deployment.kubernetes.io/revision", String.valueOf(images.length))
                .endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels(selector).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(images[images.length - 1]).endContainer().endSpec()
                .endTemplate().endSpec()
                .withNewStatus().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).endStatus().build());
        // the server gives the deployment its uid; its ReplicaSets point at it, as the controller's would
        String uid = kubectl.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getMetadata().getUid();
        for (int revision = 1; revision <= images.length; revision++) {
            String hash = hash(name, revision);
            kubectl.resource(new ReplicaSetBuilder().withNewMetadata().withName(name + "-" + hash).withNamespace(NAMESPACE)
                    .addToLabels(selector).addToLabels("pod-template-hash", hash)
                    .addToAnnotations("deployment.kubernetes.io/revision", String.valueOf(revision))
                    .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                    .withUid(uid).withController(true).endOwnerReference().endMetadata()
                    .withNewSpec().withReplicas(revision == images.length ? 1 : 0).withNewSelector().addToMatchLabels(selector)
                    .addToMatchLabels("pod-template-hash", hash).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels(selector).addToLabels("pod-template-hash", hash).endMetadata()
                    .withNewSpec().addNewContainer().withName(name).withImage(images[revision - 1]).endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
        }
    }

    /** The name the ReplicaSet controller gives this deployment's pods of this revision, e.g. {@code op-node-7c9d4f8b6-x7k2p}. */
    static String podName(String deployment, int revision) {
        return deployment + "-" + hash(deployment, revision) + "-x7k2p";
    }

    static String hash(String deployment, int revision) {
        return Integer.toHexString((deployment + revision).hashCode() & 0xfffffff);
    }

    /** A running, ready pod of the deployment's given revision (labels and owner as the controller sets them). */
    PodBuilder pod(String deployment, int revision) {
        String hash = hash(deployment, revision);
        return new PodBuilder().withNewMetadata().withName(podName(deployment, revision)).withNamespace(NAMESPACE)
                .addToLabels("app", deployment).addToLabels("pod-template-hash", hash)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(deployment + "-" + hash)
                .withUid(deployment + "-rs-uid").withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName("ip-10-0-1-17").addNewContainer().withName(deployment).withImage("img").endContainer().endSpec();
    }

    /** One request the server received; {@code authorization} is its Authorization header, or null. */
    record Request(String method, String path, String authorization) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** The requests this server received since the last call (or since it was seeded). */
    List<Request> requestsSinceMark() {
        List<Request> requests = new ArrayList<>();
        try {
            RecordedRequest request;
            while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
                requests.add(new Request(request.getMethod(), request.getPath(), request.getHeader("Authorization")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return requests;
    }

    @Override
    public void close() {
        kubectl.close();
        server.destroy();
    }
}
