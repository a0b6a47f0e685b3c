package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reaches one cluster exactly as its entry in {@code bot/clusters.yaml} names it, or not at all.
 * A {@code context} must exist in the kubeconfig, with its cluster, that cluster's server, its
 * user, and the files and credential plugin they name; the kubeconfig's current context is never
 * used instead, and a missing kubeconfig never falls back to the pod's service account, which is
 * used only for {@code inCluster: true}. Environment overrides such as {@code KUBERNETES_MASTER}
 * are not applied either.
 */
final class ClusterConnector {

    /** Why an entry cannot be reached as written: the entry's field at fault, what is wrong, how to fix it. */
    record Unresolved(String field, String reason, String fix) {}

    /** Refuses every call to a cluster that cannot be resolved; the message is safe for chat. */
    static final class ClusterUnresolved extends RuntimeException {
        ClusterUnresolved(String cluster, Unresolved why) {
            super("cluster " + cluster + " is not usable: " + why.reason() + ". Fix: " + why.fix() + ".");
        }
    }

    private static final class Unresolvable extends Exception {
        final Unresolved why;

        Unresolvable(String field, String reason, String fix) {
            super(reason, null, false, false);
            this.why = new Unresolved(field, reason, fix);
        }
    }

    private final KubeEnvironment environment;

    ClusterConnector(KubeEnvironment environment) {
        this.environment = environment;
    }

    /** Why this entry cannot be reached exactly, or empty; reads files only and runs no credential plugin. */
    Optional<Unresolved> problem(ClusterConfig cluster) {
        try {
            if (cluster.runsInCluster()) {
                serviceAccount();
            } else if (!hasApiServer(cluster)) {
                new KubeconfigContext(cluster.context()).check();
            }
            return Optional.empty();
        } catch (Unresolvable e) {
            return Optional.of(e.why);
        }
    }

    /** A client for the entry, or {@link ClusterUnresolved} with the reason it cannot be reached. */
    KubernetesClient connect(String name, ClusterConfig cluster) {
        Config config;
        try {
            if (cluster.runsInCluster()) {
                config = serviceAccount();
            } else if (hasApiServer(cluster)) {
                config = Config.empty();
                config.setMasterUrl(cluster.apiServer());
                if (cluster.token() != null && cluster.token().isPresent()) config.setOauthToken(cluster.token().reveal());
            } else {
                config = new KubeconfigContext(cluster.context()).build();
            }
        } catch (Unresolvable e) {
            throw new ClusterUnresolved(name, e.why);
        }
        int timeoutMillis = cluster.timeoutSecondsOrDefault() * 1000;
        config.setNamespace(cluster.namespace());
        config.setConnectionTimeout(timeoutMillis);
        config.setRequestTimeout(timeoutMillis);
        config.setRequestRetryBackoffLimit(1);
        config.setRequestRetryBackoffInterval(200);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static boolean hasApiServer(ClusterConfig cluster) {
        return cluster.apiServer() != null && !cluster.apiServer().isBlank();
    }

    /** The pod's own service account; its token file is read on every request, so rotated tokens are used. */
    private Config serviceAccount() throws Unresolvable {
        Optional<String> host = environment.variable("KUBERNETES_SERVICE_HOST");
        Optional<String> port = environment.variable("KUBERNETES_SERVICE_PORT");
        if (host.isEmpty() || port.isEmpty()) {
            throw new Unresolvable("inCluster", "inCluster is true, but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
                    + "are not set, so the bot is not running in a Kubernetes pod",
                    "run the bot in the cluster, or reach the cluster by context or apiServer");
        }
        Path token = environment.serviceAccount().resolve("token");
        Path authority = environment.serviceAccount().resolve("ca.crt");
        for (Path file : List.of(token, authority)) {
            if (!Files.isRegularFile(file)) {
                throw new Unresolvable("inCluster", "inCluster is true, but the service account file " + file + " does not exist",
                        "mount the service account token into the bot's pod (automountServiceAccountToken: true)");
            }
        }
        Config config = Config.empty();
        String hostPart = host.get().contains(":") ? "[" + host.get() + "]" : host.get();
        config.setMasterUrl("https://" + hostPart + ":" + port.get());
        config.setCaCertFile(authority.toString());
        config.setOauthTokenProvider(() -> {
            try {
                return Files.readString(token).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the service account token " + token, e);
            }
        });
        return config;
    }

    /** A named context of the kubeconfig files, checked entry by entry as kubectl would resolve it. */
    private final class KubeconfigContext {
        private final String name;
        private final List<Path> files = new ArrayList<>();
        private final List<io.fabric8.kubernetes.api.model.Config> kubeconfigs = new ArrayList<>();

        KubeconfigContext(String name) {
            this.name = name;
        }

        Config build() throws Unresolvable {
            check();
            Config config = Config.empty();
            try {
                KubeConfigUtils.merge(config, name, kubeconfigs.toArray(io.fabric8.kubernetes.api.model.Config[]::new));
            } catch (KubernetesClientException e) {
                throw new Unresolvable("context", "the kubeconfig entry of context \"" + name + "\" cannot be used: "
                        + KubernetesFailures.firstLine(String.valueOf(e.getMessage())), "correct the kubeconfig");
            }
            if (config.getCurrentContext() == null || !name.equals(config.getCurrentContext().getName())) {
                throw new Unresolvable("context", "context \"" + name + "\" could not be selected in " + where(), "correct the kubeconfig");
            }
            return config;
        }

        void check() throws Unresolvable {
            read();
            Found<NamedContext> context = first(io.fabric8.kubernetes.api.model.Config::getContexts, NamedContext::getName, name)
                    .orElseThrow(() -> new Unresolvable("context", "context \"" + name + "\" does not exist in " + where()
                            + " (" + knownContexts() + ")",
                            "add a context named " + name + " for that cluster to the kubeconfig, or correct the context in "
                                    + "bot/clusters.yaml; Firebreak never uses the current context instead"));
            if (context.entry().getContext() == null || blank(context.entry().getContext().getCluster())) {
                throw new Unresolvable("context", "context \"" + name + "\" in " + context.file() + " names no cluster",
                        "give the context its cluster in the kubeconfig");
            }
            String clusterName = context.entry().getContext().getCluster();
            Found<NamedCluster> cluster = first(io.fabric8.kubernetes.api.model.Config::getClusters, NamedCluster::getName, clusterName)
                    .orElseThrow(() -> new Unresolvable("context", "cluster \"" + clusterName + "\" of context \"" + name
                            + "\" does not exist in " + where(), "add the cluster with its server to the kubeconfig"));
            Cluster server = cluster.entry().getCluster();
            if (server == null || blank(server.getServer())) {
                throw new Unresolvable("context", "cluster \"" + clusterName + "\" of context \"" + name + "\" in "
                        + cluster.file() + " has no server", "set the cluster's server URL in the kubeconfig");
            }
            requireFile(cluster.file(), server.getCertificateAuthority(), "certificate-authority file of cluster \"" + clusterName + "\"");
            String userName = context.entry().getContext().getUser();
            if (blank(userName)) return; // the context itself says: no credentials
            Found<NamedAuthInfo> user = first(io.fabric8.kubernetes.api.model.Config::getUsers, NamedAuthInfo::getName, userName)
                    .orElseThrow(() -> new Unresolvable("context", "user \"" + userName + "\" of context \"" + name
                            + "\" does not exist in " + where(), "add the user with its credentials to the kubeconfig"));
            AuthInfo credentials = user.entry().getUser();
            if (credentials == null) return;
            requireFile(user.file(), credentials.getClientCertificate(), "client-certificate file of user \"" + userName + "\"");
            requireFile(user.file(), credentials.getClientKey(), "client-key file of user \"" + userName + "\"");
            requireFile(user.file(), credentials.getTokenFile(), "tokenFile of user \"" + userName + "\"");
            if (credentials.getExec() != null && !blank(credentials.getExec().getCommand())) {
                String command = credentials.getExec().getCommand();
                if (findExecutable(user.file(), command).isEmpty()) {
                    throw new Unresolvable("context", "the credential plugin \"" + command + "\" of user \"" + userName
                            + "\" is not " + (command.contains(File.separator) ? "an executable file" : "on the PATH"),
                            "install it where the bot runs, or give the user a token or client certificate");
                }
            }
        }

        private void read() throws Unresolvable {
            for (Path file : environment.kubeconfigFiles()) {
                if (!Files.isRegularFile(file)) continue; // like kubectl, names in KUBECONFIG that do not exist are skipped
                try {
                    kubeconfigs.add(KubeConfigUtils.parseConfig(file.toFile()));
                    files.add(file);
                } catch (RuntimeException e) {
                    throw new Unresolvable("context", "the kubeconfig " + file + " cannot be read: "
                            + KubernetesFailures.firstLine(String.valueOf(e.getMessage())), "correct or replace the file");
                }
            }
            if (files.isEmpty()) {
                throw new Unresolvable("context", "there is no kubeconfig file (" + environment.kubeconfigSource()
                        + " does not exist), so context \"" + name + "\" cannot be found",
                        "mount the kubeconfig and point KUBECONFIG at it, or reach the cluster with apiServer or inCluster: true; "
                                + "Firebreak does not fall back to the pod's service account");
            }
        }

        private String where() {
            return files.size() == 1 ? "the kubeconfig " + files.getFirst() : "the kubeconfig files " + files;
        }

        private String knownContexts() {
            List<String> names = kubeconfigs.stream().flatMap(c -> Stream.ofNullable(c.getContexts()).flatMap(List::stream))
                    .map(NamedContext::getName).filter(Objects::nonNull).distinct().sorted().toList();
            return names.isEmpty() ? "it has no contexts" : "it has " + String.join(", ", names);
        }

        /** The first file's entry with this name, as kubectl merges kubeconfig files. */
        private <T> Optional<Found<T>> first(Function<io.fabric8.kubernetes.api.model.Config, List<T>> entries,
                                             Function<T, String> nameOf, String wanted) {
            for (int i = 0; i < kubeconfigs.size(); i++) {
                List<T> list = entries.apply(kubeconfigs.get(i));
                if (list == null) continue;
                for (T entry : list) {
                    if (wanted.equals(nameOf.apply(entry))) return Optional.of(new Found<>(files.get(i), entry));
                }
            }
            return Optional.empty();
        }

        private void requireFile(Path kubeconfig, String path, String what) throws Unresolvable {
            if (blank(path)) return;
            Path file = kubeconfig.toAbsolutePath().resolveSibling(path);
            if (!Files.isRegularFile(file)) {
                throw new Unresolvable("context", "the " + what + " (" + file + ") does not exist",
                        "mount the file where the kubeconfig says, or embed its data in the kubeconfig");
            }
        }

        private Optional<Path> findExecutable(Path kubeconfig, String command) {
            if (command.contains(File.separator)) {
                Path file = kubeconfig.toAbsolutePath().resolveSibling(command).normalize();
                return Files.isExecutable(file) ? Optional.of(file) : Optional.empty();
            }
            return Stream.of(environment.variable("PATH").orElse("").split(File.pathSeparator))
                    .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, command))
                    .filter(Files::isExecutable).findFirst();
        }
    }

    private record Found<T>(Path file, T entry) {}

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
