package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code deploy/kubernetes/}: rendered by {@code kubectl kustomize}, applied to the fabric8 mock
 * server in CRUD mode, and read back: two replicas, probes on /ready and /health, a locked-down
 * container, the RBAC from {@code bot/kubernetes-rbac.yaml}, Secrets referenced and never
 * rendered, and a ConfigMap holding every file of each configuration folder.
 */
class KubernetesManifestsTest {

    static final String NS = MockCluster.NAMESPACE;

    MockCluster cluster;

    @BeforeEach
    void start() {
        cluster = MockCluster.start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void the_manifests_render_apply_and_run_two_locked_down_replicas_with_their_probes() throws Exception {
        String rendered = kustomize();
        List<HasMetadata> objects = cluster.kubectl().load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8))).items();
        assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("Secret");
        cluster.kubectl().resourceList(objects).create();

        Deployment deployment = cluster.kubectl().apps().deployments().inNamespace(NS).withName("firebreak").get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("firebreak");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        Container container = pod.getContainers().getFirst();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(container.getEnvFrom()).extracting(e -> e.getSecretRef().getName()).containsExactly("firebreak");
        assertThat(container.getEnv()).allSatisfy(env -> assertThat(env.getValueFrom()).isNull());
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        Volume tmp = pod.getVolumes().stream().filter(v -> v.getName().equals("tmp")).findFirst().orElseThrow();
        assertThat(tmp.getEmptyDir()).isNotNull();

        Service service = cluster.kubectl().services().inNamespace(NS).withName("firebreak").get();
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        PodDisruptionBudget budget = cluster.kubectl().policy().v1().podDisruptionBudget().inNamespace(NS).withName("firebreak").get();
        assertThat(budget.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        ServiceAccount account = cluster.kubectl().serviceAccounts().inNamespace(NS).withName("firebreak").get();
        assertThat(account).isNotNull();
        assertThat(cluster.kubectl().rbac().roles().inNamespace(NS).withName("firebreak").get().getRules())
                .as("the Role of bot/kubernetes-rbac.yaml, not a copy").isNotEmpty();
    }

    @Test
    void each_configuration_folder_is_one_config_map_holding_every_file_and_mounted_at_its_place() throws Exception {
        List<HasMetadata> objects = cluster.kubectl().load(new ByteArrayInputStream(kustomize().getBytes(StandardCharsets.UTF_8))).items();
        Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
        for (String folder : List.of("bot", "commands", "runbooks", "templates")) {
            ConfigMap map = objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                    .filter(c -> c.getMetadata().getName().startsWith("firebreak-" + folder + "-")).findFirst().orElseThrow();
            Set<String> expected = files(folder);
            if (folder.equals("bot")) expected.removeAll(Set.of("kubernetes-rbac.yaml", "slack-app-manifest.yaml"));
            assertThat(map.getData().keySet()).as("ConfigMap for %s/", folder).containsExactlyInAnyOrderElementsOf(expected);
            Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals(map.getMetadata().getName()))
                    .findFirst().orElseThrow();
            assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getVolumeMounts())
                    .anySatisfy(m -> {
                        assertThat(m.getName()).isEqualTo(volume.getName());
                        assertThat(m.getMountPath()).isEqualTo("/app/" + folder);
                    });
        }
    }

    static Set<String> files(String folder) throws IOException {
        try (Stream<Path> list = Files.list(Path.of(folder))) {
            return list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    static String kustomize() throws IOException, InterruptedException {
        assumeTrue(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl"))),
                "kubectl is not installed (apt-get install kubectl); the manifests cannot be rendered here");
        Process process = new ProcessBuilder("kubectl", "kustomize", "--load-restrictor", "LoadRestrictionsNone", "deploy/kubernetes")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl kustomize deploy/kubernetes failed").isZero();
        return out;
    }
}
