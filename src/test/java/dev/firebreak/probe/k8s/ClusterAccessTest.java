package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.ProbeResult;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cluster is reached exactly as {@code bot/clusters.yaml} names it, with real kubeconfig files
 * written here and two API servers, staging and mainnet: a context the kubeconfig lacks is
 * refused (as kubectl refuses {@code --context mainnet}: {@code context "mainnet" does not exist}),
 * never answered from the current context or the pod's service account.
 */
class ClusterAccessTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    @TempDir
    Path dir;
    MockCluster staging;
    MockCluster mainnet;

    @BeforeEach
    void start() {
        staging = seeded("staging-node");
        mainnet = seeded("mainnet-node");
    }

    @AfterEach
    void stop() {
        staging.close();
        mainnet.close();
    }

    /** An API server with deployment op-proposer and its one pod, on a node named after the cluster. */
    private static MockCluster seeded(String node) {
        MockCluster cluster = MockCluster.start();
        cluster.deployment("op-proposer", "op-proposer:v1.9.2");
        cluster.create(cluster.pod("op-proposer", 1).editSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("op-proposer").withReady(true)
                .withRestartCount(0).withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build());
        cluster.requestsSinceMark();
        return cluster;
    }

    private static ClusterConfig byContext(String context) {
        return new ClusterConfig(context, null, null, null, MockCluster.NAMESPACE, List.of("op-proposer"), null, 5);
    }

    private KubernetesOperations operations(ClusterConfig mainnetEntry, Map<String, String> variables) {
        Map<String, String> env = new HashMap<>(variables);
        env.putIfAbsent("HOME", dir.resolve("home").toString());
        env.putIfAbsent("PATH", System.getenv("PATH"));
        return new KubernetesOperations(new ClustersConfig(Map.of("mainnet", mainnetEntry)),
                new KubeEnvironment(env, dir.resolve("no-service-account")), CLOCK);
    }

    private static String restartedAt(MockCluster cluster) {
        Deployment deployment = cluster.kubectl().apps().deployments().inNamespace(MockCluster.NAMESPACE).withName("op-proposer").get();
        var annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(RESTARTED_AT);
    }

    private static PlannedAction restartPlan() {
        return new PlannedAction("k8s.restart", Map.of("cluster", "mainnet", "namespace", MockCluster.NAMESPACE,
                "deployment", "op-proposer", "verb", "restart", "approval", "none"), Message.text("restart op-proposer"));
    }

    @Test
    void a_context_the_kubeconfig_lacks_is_reported_and_every_call_to_it_refused_while_the_current_context_is_never_asked() {
        Path kubeconfig = new Kubeconfig().context("staging", staging.url()).current("staging").writeTo(dir.resolve("kube/config"));
        String reason = "cluster mainnet is not usable: context \"mainnet\" does not exist in the kubeconfig " + kubeconfig
                + " (it has staging)";
        try (var ops = operations(byContext("mainnet"), Map.of("KUBECONFIG", kubeconfig.toString()))) {
            assertThat(ops.connectionProblems()).singleElement().satisfies(problem -> {
                assertThat(problem.file()).isEqualTo("bot/clusters.yaml");
                assertThat(problem.location()).isEqualTo("clusters.mainnet.context");
                assertThat(problem.problem()).isEqualTo(reason);
                assertThat(problem.fix()).contains("add a context named mainnet").contains("never uses the current context");
            });

            ProbeResult pods = ops.probes().get("k8s.pods").run(Map.of("cluster", "mainnet"));
            assertThat(pods.status()).isEqualTo(ProbeResult.Status.ERROR);
            assertThat(pods.summary()).startsWith("Refused: " + reason + ". Fix: ").endsWith("Nothing was asked of any cluster.");
            assertThat(pods.details().plainText()).doesNotContain("staging-node");

            assertThatThrownBy(() -> ops.actions().get("k8s.restart").plan(Map.of("cluster", "mainnet", "deployment", "op-proposer")))
                    .isInstanceOf(InvalidInput.class).hasMessageStartingWith("Refused: " + reason).hasMessageEndingWith("Nothing was changed.");
            PlannedAction approvedEarlier = restartPlan();
            ActionResult restart = ops.actions().get("k8s.restart")
                    .execute(approvedEarlier, new Execution.Approved("A-1", approvedEarlier.hash(), "A-1-0f3c"));
            assertThat(restart.succeeded()).isFalse();
            assertThat(restart.summary()).startsWith("Refused: " + reason).endsWith("Nothing was changed.");
        }
        assertThat(staging.requestsSinceMark()).as("the current context's cluster was never asked").isEmpty();
        assertThat(restartedAt(staging)).isNull();
    }

    @Test
    void the_named_context_reaches_its_own_cluster_with_its_own_credentials_whatever_the_current_context() {
        Path kubeconfig = new Kubeconfig().context("staging", staging.url()).context("mainnet", mainnet.url())
                .current("staging").writeTo(dir.resolve("kube/config"));
        try (var ops = operations(byContext("mainnet"), Map.of("KUBECONFIG", kubeconfig.toString()))) {
            assertThat(ops.connectionProblems()).isEmpty();

            ProbeResult pods = ops.probes().get("k8s.pods").run(Map.of("cluster", "mainnet"));
            assertThat(pods.status()).as(pods.summary()).isEqualTo(ProbeResult.Status.OK);
            assertThat(pods.details().plainText()).contains("mainnet-node").doesNotContain("staging-node");

            var restart = ops.actions().get("k8s.restart");
            PlannedAction plan = restart.plan(Map.of("cluster", "mainnet", "deployment", "op-proposer"));
            assertThat(restart.execute(plan, new Execution.Approved("A-1", plan.hash(), "A-1-0f3c")).succeeded()).isTrue();
        }
        assertThat(staging.requestsSinceMark()).isEmpty();
        assertThat(mainnet.requestsSinceMark()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer token-of-mainnet"));
        assertThat(restartedAt(mainnet)).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(restartedAt(staging)).isNull();
    }

    @Test
    void kubeconfig_files_merge_as_kubectl_merges_them_the_first_file_to_name_a_context_wins() {
        Path first = new Kubeconfig().context("mainnet", mainnet.url()).writeTo(dir.resolve("a/config"));
        Path second = new Kubeconfig().context("mainnet", staging.url()).context("staging", staging.url())
                .current("staging").writeTo(dir.resolve("b/config"));
        String list = dir.resolve("missing/config") + ":" + first + ":" + second;
        try (var ops = operations(byContext("mainnet"), Map.of("KUBECONFIG", list))) {
            assertThat(ops.connectionProblems()).isEmpty();
            assertThat(ops.probes().get("k8s.pods").run(Map.of()).details().plainText()).contains("mainnet-node");
        }
        assertThat(staging.requestsSinceMark()).isEmpty();
    }

    @Test
    void without_a_kubeconfig_nothing_falls_back_to_the_pods_service_account() throws IOException {
        Path serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));
        Files.writeString(serviceAccount.resolve("token"), "sa-token");
        Files.writeString(serviceAccount.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        Map<String, String> env = Map.of("HOME", dir.resolve("home").toString(), "PATH", System.getenv("PATH"),
                "KUBERNETES_SERVICE_HOST", "127.0.0.1", "KUBERNETES_SERVICE_PORT", String.valueOf(mainnet.url().split(":")[2]));
        try (var ops = new KubernetesOperations(new ClustersConfig(Map.of("mainnet", byContext("mainnet"))),
                new KubeEnvironment(env, serviceAccount), CLOCK)) {
            assertThat(ops.connectionProblems()).singleElement().satisfies(problem -> {
                assertThat(problem.problem()).isEqualTo("cluster mainnet is not usable: there is no kubeconfig file ("
                        + dir.resolve("home/.kube/config") + " (KUBECONFIG is not set) does not exist), so context \"mainnet\" cannot be found");
                assertThat(problem.fix()).contains("does not fall back to the pod's service account");
            });
            assertThat(ops.probes().get("k8s.pods").run(Map.of()).summary()).startsWith("Refused: cluster mainnet is not usable: there is no kubeconfig");
        }
        assertThat(mainnet.requestsSinceMark()).isEmpty();
    }

    @Test
    void in_cluster_access_only_when_the_entry_says_so_and_only_inside_a_pod() throws IOException {
        ClusterConfig inCluster = new ClusterConfig(null, true, null, null, MockCluster.NAMESPACE, List.of("op-proposer"), null, 5);
        Path serviceAccount = Files.createDirectories(dir.resolve("serviceaccount"));

        ClusterConnector outsideAPod = new ClusterConnector(new KubeEnvironment(Map.of(), serviceAccount));
        assertThat(outsideAPod.problem(inCluster)).get().satisfies(why -> {
            assertThat(why.field()).isEqualTo("inCluster");
            assertThat(why.reason()).contains("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set");
        });

        KubeEnvironment pod = new KubeEnvironment(Map.of("KUBERNETES_SERVICE_HOST", "10.100.0.1", "KUBERNETES_SERVICE_PORT", "443"),
                serviceAccount);
        assertThat(new ClusterConnector(pod).problem(inCluster)).get()
                .satisfies(why -> assertThat(why.reason()).contains(serviceAccount.resolve("token") + " does not exist"));

        Files.writeString(serviceAccount.resolve("token"), "first-token\n");
        Files.writeString(serviceAccount.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(new ClusterConnector(pod).problem(inCluster)).isEmpty();
        try (KubernetesClient client = new ClusterConnector(pod).connect("mainnet", inCluster)) {
            assertThat(client.getConfiguration().getMasterUrl()).isEqualTo("https://10.100.0.1:443/");
            assertThat(client.getConfiguration().getCaCertFile()).isEqualTo(serviceAccount.resolve("ca.crt").toString());
            assertThat(client.getConfiguration().getOauthTokenProvider().getToken()).isEqualTo("first-token");
            Files.writeString(serviceAccount.resolve("token"), "rotated-token\n");
            assertThat(client.getConfiguration().getOauthTokenProvider().getToken()).as("the kubelet rotates the token file").isEqualTo("rotated-token");
        }
    }

    @Test
    void a_context_whose_cluster_server_user_or_credentials_cannot_be_found_is_not_usable() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path plugin = Files.writeString(bin.resolve("get-token"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("cluster \"gone\" of context \"mainnet\" does not exist in the kubeconfig",
                "clusters: []\nusers: []\ncontexts:\n- name: mainnet\n  context: {cluster: gone}\n");
        cases.put("cluster \"mainnet\" of context \"mainnet\" in %s has no server",
                "clusters:\n- name: mainnet\n  cluster: {}\nusers: []\ncontexts:\n- name: mainnet\n  context: {cluster: mainnet}\n");
        cases.put("user \"ops\" of context \"mainnet\" does not exist in the kubeconfig",
                "clusters:\n- name: mainnet\n  cluster: {server: 'https://10.0.0.1'}\nusers: []\n"
                        + "contexts:\n- name: mainnet\n  context: {cluster: mainnet, user: ops}\n");
        cases.put("the client-key file of user \"ops\" (" + dir.resolve("kube/ops.key") + ") does not exist",
                "clusters:\n- name: mainnet\n  cluster: {server: 'https://10.0.0.1'}\n"
                        + "users:\n- name: ops\n  user: {client-certificate-data: Zm9v, client-key: ops.key}\n"
                        + "contexts:\n- name: mainnet\n  context: {cluster: mainnet, user: ops}\n");
        cases.put("the credential plugin \"aws\" of user \"ops\" is not on the PATH",
                "clusters:\n- name: mainnet\n  cluster: {server: 'https://10.0.0.1'}\n"
                        + "users:\n- name: ops\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws}\n"
                        + "contexts:\n- name: mainnet\n  context: {cluster: mainnet, user: ops}\n");
        for (var c : cases.entrySet()) {
            Path kubeconfig = Files.writeString(Files.createDirectories(dir.resolve("kube")).resolve("config"),
                    "apiVersion: v1\nkind: Config\n" + c.getValue());
            ClusterConnector connector = new ClusterConnector(new KubeEnvironment(
                    Map.of("KUBECONFIG", kubeconfig.toString(), "PATH", bin.toString()), dir.resolve("none")));
            assertThat(connector.problem(byContext("mainnet"))).as(c.getKey()).get()
                    .satisfies(why -> assertThat(why.reason()).startsWith(c.getKey().formatted(kubeconfig)));
        }

        Path kubeconfig = Files.writeString(dir.resolve("kube/config"), "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: mainnet\n  cluster: {server: 'https://10.0.0.1'}\n"
                + "users:\n- name: ops\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: get-token}\n"
                + "contexts:\n- name: mainnet\n  context: {cluster: mainnet, user: ops}\n");
        assertThat(new ClusterConnector(new KubeEnvironment(Map.of("KUBECONFIG", kubeconfig.toString(), "PATH", bin.toString()),
                dir.resolve("none"))).problem(byContext("mainnet"))).as("the plugin is on the PATH").isEmpty();
    }

    @Test
    void an_api_server_entry_is_used_as_written() {
        ClusterConfig direct = new ClusterConfig(null, null, mainnet.url(), null, MockCluster.NAMESPACE, List.of("op-proposer"), null, 5);
        try (var ops = operations(direct, Map.of())) {
            List<ConfigProblem> problems = ops.connectionProblems();
            assertThat(problems).isEmpty();
            assertThat(ops.probes().get("k8s.pods").run(Map.of()).details().plainText()).contains("mainnet-node");
        }
    }
}
