package dev.firebreak.probe.k8s;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the bot looks for its Kubernetes credentials: the kubeconfig files ({@code $KUBECONFIG},
 * else {@code ~/.kube/config}), {@code PATH} for credential plugins, and, only for a cluster
 * entry with {@code inCluster: true}, the pod's service account ({@code KUBERNETES_SERVICE_HOST},
 * {@code KUBERNETES_SERVICE_PORT} and the mounted token). Tests pass their own.
 */
public record KubeEnvironment(Map<String, String> variables, Path serviceAccount) {

    public static final Path POD_SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    public KubeEnvironment {
        variables = Map.copyOf(variables);
    }

    /** This process's environment and the standard service account mount. */
    public static KubeEnvironment ofProcess() {
        return new KubeEnvironment(System.getenv(), POD_SERVICE_ACCOUNT);
    }

    Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(v -> !v.isBlank());
    }

    /** The kubeconfig files in the order kubectl reads them (the first to define a name wins). */
    List<Path> kubeconfigFiles() {
        return variable("KUBECONFIG")
                .map(list -> Arrays.stream(list.split(File.pathSeparator)).filter(p -> !p.isBlank()).map(Path::of).toList())
                .orElseGet(() -> List.of(home().resolve(".kube").resolve("config")));
    }

    /** How the kubeconfig was chosen, for messages: {@code KUBECONFIG=/a:/b} or {@code ~/.kube/config (KUBECONFIG is not set)}. */
    String kubeconfigSource() {
        return variable("KUBECONFIG").map(v -> "KUBECONFIG=" + v)
                .orElseGet(() -> home().resolve(".kube").resolve("config") + " (KUBECONFIG is not set)");
    }

    private Path home() {
        return Path.of(variable("HOME").orElse(System.getProperty("user.home", ".")));
    }
}
