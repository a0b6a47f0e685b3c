package dev.firebreak.demo.k8s;

import dev.firebreak.probe.k8s.ActionApprovals;
import dev.firebreak.probe.k8s.ClusterConfig;
import dev.firebreak.probe.k8s.ClustersConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes API for demos and tests: the fabric8 mock server in CRUD mode on 127.0.0.1, seeded
 * with an {@code op-stack} namespace (op-node in CrashLoopBackOff, op-geth, op-batcher, op-proposer
 * with their pods, ReplicaSets for rollout history, events, PVCs, nodes) and an {@code indexer} namespace
 * with the subsquid indexer. Pod logs are served from
 * canned text; the metrics API answers only when asked for. The probes reach it through
 * {@link #clusterConfig()}, like any cluster given by {@code apiServer} in {@code bot/clusters.yaml}.
 */
public final class DemoCluster implements AutoCloseable {

    public static final String NAMESPACE = OpStackFixture.NAMESPACE;
    public static final List<String> DEPLOYMENTS = OpStackFixture.DEPLOYMENTS;
    public static final String INDEXER_NAMESPACE = OpStackFixture.INDEXER_NAMESPACE;

    /** The mock server logs every request at INFO through java.util.logging; the demo keeps it quiet. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final OpStackDispatcher dispatcher;

    private DemoCluster(KubernetesMockServer server, KubernetesClient client, OpStackDispatcher dispatcher) {
        this.server = server;
        this.client = client;
        this.dispatcher = dispatcher;
    }

    /** Starts the server on a free loopback port and seeds it; {@code metricsApi} serves pod metrics. */
    public static DemoCluster start(Clock clock, boolean metricsApi) {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        OpStackDispatcher dispatcher = new OpStackDispatcher(new KubernetesCrudDispatcher(), metricsApi);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesClient client = server.createClient();
        OpStackFixture fixture = new OpStackFixture(clock);
        fixture.seed(client);
        dispatcher.logs.putAll(fixture.logs());
        dispatcher.metrics.put(NAMESPACE, fixture.podMetricsJson());
        return new DemoCluster(server, client, dispatcher);
    }

    /** The API server URL, e.g. {@code http://127.0.0.1:41234}. */
    public String apiServerUrl() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
    }

    /** A cluster entry that reaches this server, allowing the four OP Stack deployments. */
    public ClusterConfig clusterConfig() {
        return new ClusterConfig(null, null, apiServerUrl(), null, NAMESPACE, DEPLOYMENTS, ActionApprovals.defaults(), 5);
    }

    /** A whole {@code bot/clusters.yaml} with this server under the given name. */
    public ClustersConfig clustersConfig(String name) {
        return new ClustersConfig(Map.of(name, clusterConfig()));
    }

    /** The replicas a deployment's spec asks for now, e.g. 0 after {@code /action stop}. */
    public int replicas(String namespace, String deployment) {
        return client.apps().deployments().inNamespace(namespace).withName(deployment).get().getSpec().getReplicas();
    }

    /** The image of a deployment's first container now, e.g. the previous one after {@code /action undo}. */
    public String image(String namespace, String deployment) {
        return client.apps().deployments().inNamespace(namespace).withName(deployment).get()
                .getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
    }

    /** Suffix of the key under which a pod's previous (crashed) container log is served. */
    static final String PREVIOUS = "#previous";

    /** Serves this text as the log of a pod (replacing what the fixture serves). */
    public void setLog(String pod, String text) {
        dispatcher.logs.put(pod, text);
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }

    /** CRUD for resources; canned text for {@code pods/NAME/log}; pod metrics or 404 for metrics.k8s.io. */
    static final class OpStackDispatcher extends Dispatcher {
        private static final Pattern LOG = Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?");
        private static final Pattern TAIL = Pattern.compile("[?&]tailLines=(\\d+)");
        private static final Pattern METRICS = Pattern.compile("/apis/metrics\\.k8s\\.io/v1beta1/namespaces/([^/]+)/pods(\\?.*)?");

        private final KubernetesCrudDispatcher crud;
        final Map<String, String> logs = new ConcurrentHashMap<>();
        final Map<String, String> metrics = new ConcurrentHashMap<>();
        private final boolean metricsApi;

        OpStackDispatcher(KubernetesCrudDispatcher crud, boolean metricsApi) {
            this.crud = crud;
            this.metricsApi = metricsApi;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            Matcher log = LOG.matcher(path);
            if ("GET".equals(request.getMethod()) && log.matches()) {
                boolean previous = path.contains("previous=true");
                String text = logs.get(log.group(2) + (previous ? PREVIOUS : ""));
                if (text == null && previous) {
                    return new MockResponse().setResponseCode(400).setBody(notFound("previous terminated container", log.group(2)));
                }
                if (text == null) return new MockResponse().setResponseCode(404).setBody(notFound("pods", log.group(2)));
                Matcher tail = TAIL.matcher(path);
                if (tail.find()) {
                    List<String> lines = Arrays.asList(text.split("\n"));
                    int n = Integer.parseInt(tail.group(1));
                    text = String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size())) + "\n";
                }
                return new MockResponse().setResponseCode(200).setBody(text);
            }
            Matcher metric = METRICS.matcher(path);
            if (path.startsWith("/apis/metrics.k8s.io")) {
                if (metricsApi && metric.matches() && metrics.containsKey(metric.group(1))) {
                    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                            .setBody(metrics.get(metric.group(1)));
                }
                return new MockResponse().setResponseCode(404).setBody(notFound("metrics.k8s.io", "pods"));
            }
            return crud.dispatch(request);
        }

        private static String notFound(String kind, String name) {
            return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404,"
                    + "\"message\":\"" + kind + " \\\"" + name + "\\\" not found\"}";
        }
    }
}
