package dev.firebreak.probe.k8s;

import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** The read-only Kubernetes diagnostics, one method per probe. */
final class ClusterProbes {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final int MAX_LOG_LINES = 1000;
    private static final int MAX_LOG_CHARS = 12_000;

    private final Clusters clusters;
    private final Clock clock;

    ClusterProbes(Clusters clusters, Clock clock) {
        this.clusters = clusters;
        this.clock = clock;
    }

    Map<String, Probe> probes() {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("k8s.pods", Probe.timed(this::pods, this::probeTimeout));
        probes.put("k8s.logs", Probe.timed(this::logs, this::probeTimeout));
        probes.put("k8s.events", Probe.timed(this::events, this::probeTimeout));
        probes.put("k8s.nodes", Probe.timed(args -> guarded(clusters.resolve(args), this::nodes), this::probeTimeout));
        probes.put("k8s.pvcs", Probe.timed(args -> guarded(clusters.resolve(args), this::pvcs), this::probeTimeout));
        probes.put("k8s.history", Probe.timed(this::history, this::probeTimeout));
        probes.put("k8s.top", Probe.timed(args -> guarded(clusters.resolve(args), this::top), this::probeTimeout));
        return probes;
    }

    private Duration probeTimeout(Map<String, String> args) {
        try {
            return clusters.resolve(args).config().probeTimeout();
        } catch (InvalidInput unknown) {
            return Probe.DEFAULT_TIMEOUT; // the probe itself says what is wrong
        }
    }

    /** The reading of a probe whose arguments were judged: runs it on the cluster, and turns API failures into ERROR results. */
    private Probe.Reading guarded(Clusters.Cluster cluster, Function<Clusters.Cluster, ProbeResult> probe) {
        return () -> {
            try {
                return probe.apply(cluster);
            } catch (InvalidInput e) {
                throw e;
            } catch (ClusterConnector.ClusterUnresolved e) {
                return ProbeResult.of(Status.ERROR, "Refused: " + e.getMessage() + " Nothing was asked of any cluster.");
            } catch (RuntimeException e) {
                String summary = "cluster " + cluster.name() + ": " + KubernetesFailures.describe(e, cluster.config());
                return ProbeResult.of(Status.ERROR, summary);
            }
        };
    }

    private Probe.Reading pods(Map<String, String> args) {
        Clusters.Cluster cluster = clusters.resolve(args);
        Optional<String> deployment = optionalDeployment(args, cluster);
        return guarded(cluster, c -> pods(c, deployment));
    }

    private ProbeResult pods(Clusters.Cluster cluster, Optional<String> deployment) {
        List<Pod> pods = deployment.map(name -> podsOf(cluster, name))
                .orElseGet(() -> cluster.client().pods().inNamespace(cluster.namespace()).list().getItems());
        Status status = Status.OK;
        List<List<String>> rows = new ArrayList<>();
        int broken = 0;
        int notReady = 0;
        for (Pod pod : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            PodRow row = PodRow.of(pod, clock);
            if (row.failing()) {
                broken++;
                status = Status.CRITICAL;
            } else if (!row.allReady() || row.restartCount() > 0) {
                if (!row.allReady()) notReady++;
                status = ProbeResult.worst(status, Status.WARNING);
            }
            rows.add(List.of(row.name(), row.status(), row.ready(), row.restarts(),
                    Ages.since(pod.getMetadata().getCreationTimestamp(), clock),
                    pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "-" : pod.getSpec().getNodeName()));
        }
        String scope = cluster.name() + "/" + cluster.namespace() + deployment.map(d -> " deployment " + d).orElse("");
        if (pods.isEmpty() && deployment.isPresent()) status = Status.CRITICAL;
        String summary = count(pods.size(), "pod") + " in " + scope
                + (broken > 0 ? ", " + broken + " failing" : "") + (notReady > 0 ? ", " + notReady + " not ready" : "");
        Message details = Message.builder().heading("Pods in " + scope)
                .table(List.of("POD", "STATUS", "READY", "RESTARTS", "AGE", "NODE"), rows).build();
        return new ProbeResult(status, summary, details);
    }

    private Probe.Reading logs(Map<String, String> args) {
        int lines = intArg(args, "lines", 100, 1, MAX_LOG_LINES);
        Clusters.Cluster cluster = clusters.resolve(args);
        String deployment = KubernetesNames.deployment(args.get("deployment"), cluster.name(), cluster.config());
        return guarded(cluster, c -> logs(c, deployment, lines));
    }

    private ProbeResult logs(Clusters.Cluster cluster, String deployment, int lines) {
        List<Pod> pods = podsOf(cluster, deployment);
        if (pods.isEmpty()) {
            return ProbeResult.of(Status.WARNING, "deployment " + deployment + " in " + cluster.name() + " has no pods to read logs from");
        }
        StringBuilder text = new StringBuilder();
        for (Pod pod : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            String name = pod.getMetadata().getName();
            // a crash-looping container has no running log; kubectl logs --previous shows why it died. An init
            // container that crash-loops holds the pod back, so its log comes first.
            Optional<ContainerStatus> crashed = Stream.concat(
                            pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
                                    ? Stream.<ContainerStatus>empty() : pod.getStatus().getInitContainerStatuses().stream(),
                            pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                                    ? Stream.<ContainerStatus>empty() : pod.getStatus().getContainerStatuses().stream())
                    .filter(c -> c.getState() != null && c.getState().getWaiting() != null
                            && c.getRestartCount() != null && c.getRestartCount() > 0)
                    .findFirst();
            String log;
            try {
                var podResource = cluster.client().pods().inNamespace(cluster.namespace()).withName(name);
                int containers = (pod.getSpec() == null || pod.getSpec().getContainers() == null ? 0 : pod.getSpec().getContainers().size())
                        + (pod.getSpec() == null || pod.getSpec().getInitContainers() == null ? 0 : pod.getSpec().getInitContainers().size());
                var container = containers > 1
                        ? podResource.inContainer(crashed.map(ContainerStatus::getName)
                                .orElse(pod.getSpec().getContainers().get(0).getName()))
                        : podResource;
                log = crashed.isPresent()
                        ? container.terminated().tailingLines(lines).getLog()
                        : container.tailingLines(lines).getLog();
            } catch (KubernetesClientException e) {
                log = "(no log: " + KubernetesFailures.describe(e, cluster.config()) + ")";
            }
            text.append("==> ").append(name)
                    .append(crashed.map(c -> " (previous container; now " + c.getState().getWaiting().getReason()
                            + " after " + c.getRestartCount() + " restarts)").orElse(""))
                    .append(" <==\n").append(LogRedactor.redact(log == null ? "" : log).stripTrailing()).append('\n');
        }
        String body = text.toString();
        boolean cut = body.length() > MAX_LOG_CHARS;
        if (cut) body = "…\n" + body.substring(body.length() - MAX_LOG_CHARS);
        Message.Builder details = Message.builder()
                .heading("Last " + lines + " log lines of " + deployment + " (" + cluster.name() + "/" + cluster.namespace() + ")")
                .preformatted(body)
                .note("Secrets (private keys, tokens, passwords, keys in URLs) are redacted.");
        if (cut) details.note("Cut to the last " + MAX_LOG_CHARS + " characters; ask for fewer lines to see whole pods.");
        return new ProbeResult(Status.OK, "last " + lines + " log lines from " + count(pods.size(), "pod") + " of " + deployment, details.build());
    }

    private Probe.Reading events(Map<String, String> args) {
        int count = intArg(args, "count", 20, 1, 200);
        Clusters.Cluster cluster = clusters.resolve(args);
        Optional<String> deployment = optionalDeployment(args, cluster);
        return guarded(cluster, c -> events(c, deployment, count));
    }

    private ProbeResult events(Clusters.Cluster cluster, Optional<String> deployment, int count) {
        Optional<DeploymentObjects> owned = deployment.map(name -> DeploymentObjects.of(cluster, DeploymentReads.require(cluster, name)));
        List<EventRow> rows = cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems().stream()
                .filter(e -> owned.isEmpty() || owned.get().owns(e.getInvolvedObject()))
                .map(e -> EventRow.of(e, clock))
                .sorted(Comparator.comparing(EventRow::lastSeen, Comparator.nullsFirst(Comparator.naturalOrder())).reversed())
                .limit(count)
                .toList();
        long warnings = rows.stream().filter(e -> "Warning".equals(e.type())).count();
        String scope = cluster.name() + "/" + cluster.namespace() + deployment.map(d -> " " + d).orElse("");
        Message details = Message.builder().heading("Recent events in " + scope + ", newest first")
                .table(List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
                        rows.stream().map(e -> List.of(e.age(), e.type(), e.reason(), e.object(), e.message())).toList())
                .build();
        return new ProbeResult(warnings > 0 ? Status.WARNING : Status.OK,
                count(rows.size(), "recent event") + " in " + scope + ", " + count((int) warnings, "warning"), details);
    }

    private ProbeResult nodes(Clusters.Cluster cluster) {
        List<Node> nodes = cluster.client().nodes().list().getItems();
        int notReady = 0;
        List<List<String>> rows = new ArrayList<>();
        for (Node node : nodes) {
            String ready = node.getStatus() == null || node.getStatus().getConditions() == null ? "Unknown"
                    : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                    .map(NodeCondition::getStatus).findFirst().orElse("Unknown");
            boolean isReady = "True".equals(ready);
            if (!isReady) notReady++;
            boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            String roles = String.join(",", labels.keySet().stream()
                    .filter(k -> k.startsWith("node-role.kubernetes.io/"))
                    .map(k -> k.substring("node-role.kubernetes.io/".length())).sorted().toList());
            rows.add(List.of(node.getMetadata().getName(),
                    (isReady ? "Ready" : "NotReady") + (unschedulable ? ",SchedulingDisabled" : ""),
                    roles.isEmpty() ? "<none>" : roles,
                    Ages.since(node.getMetadata().getCreationTimestamp(), clock),
                    node.getStatus() == null || node.getStatus().getNodeInfo() == null ? "?" : node.getStatus().getNodeInfo().getKubeletVersion()));
        }
        Message details = Message.builder().heading("Nodes of " + cluster.name())
                .table(List.of("NODE", "STATUS", "ROLES", "AGE", "VERSION"), rows).build();
        Status status = nodes.isEmpty() || notReady > 0 ? Status.CRITICAL : Status.OK;
        return new ProbeResult(status, count(nodes.size(), "node") + " in " + cluster.name() + ", " + notReady + " not ready", details);
    }

    private ProbeResult pvcs(Clusters.Cluster cluster) {
        List<PersistentVolumeClaim> claims = cluster.client().persistentVolumeClaims().inNamespace(cluster.namespace()).list().getItems();
        int unbound = 0;
        List<List<String>> rows = new ArrayList<>();
        for (PersistentVolumeClaim claim : claims) {
            String phase = claim.getStatus() == null || claim.getStatus().getPhase() == null ? "Unknown" : claim.getStatus().getPhase();
            if (!"Bound".equals(phase)) unbound++;
            Quantity capacity = claim.getStatus() == null || claim.getStatus().getCapacity() == null ? null
                    : claim.getStatus().getCapacity().get("storage");
            rows.add(List.of(claim.getMetadata().getName(), phase,
                    Objects.toString(claim.getSpec() == null ? null : claim.getSpec().getVolumeName(), "-"),
                    capacity == null ? "-" : capacity.toString(),
                    Objects.toString(claim.getSpec() == null ? null : claim.getSpec().getStorageClassName(), "-"),
                    Ages.since(claim.getMetadata().getCreationTimestamp(), clock)));
        }
        Message details = Message.builder().heading("Persistent volume claims in " + cluster.name() + "/" + cluster.namespace())
                .table(List.of("PVC", "STATUS", "VOLUME", "CAPACITY", "STORAGECLASS", "AGE"), rows).build();
        return new ProbeResult(unbound > 0 ? Status.WARNING : Status.OK,
                claims.size() + " PVCs in " + cluster.name() + "/" + cluster.namespace() + ", " + unbound + " not bound", details);
    }

    private Probe.Reading history(Map<String, String> args) {
        Clusters.Cluster cluster = clusters.resolve(args);
        String name = KubernetesNames.deployment(args.get("deployment"), cluster.name(), cluster.config());
        return guarded(cluster, c -> history(c, name));
    }

    private ProbeResult history(Clusters.Cluster cluster, String name) {
        Deployment deployment = DeploymentReads.require(cluster, name);
        String current = DeploymentReads.annotation(deployment.getMetadata(), REVISION);
        List<ReplicaSet> revisions = DeploymentReads.revisions(cluster, deployment);
        List<List<String>> rows = revisions.stream().map(rs -> List.of(
                DeploymentReads.annotation(rs.getMetadata(), REVISION) + (DeploymentReads.annotation(rs.getMetadata(), REVISION).equals(current) ? " (current)" : ""),
                rs.getMetadata().getName(),
                String.join(", ", DeploymentReads.images(rs.getSpec().getTemplate())),
                String.valueOf(rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas()),
                Ages.since(rs.getMetadata().getCreationTimestamp(), clock))).toList();
        Message details = Message.builder().heading("Rollout history of " + name + " (" + cluster.name() + "/" + cluster.namespace() + ")")
                .table(List.of("REVISION", "REPLICASET", "IMAGES", "REPLICAS", "AGE"), rows)
                .note("Undo with /action undo " + cluster.name() + " " + name + " [revision]").build();
        return new ProbeResult(Status.OK, name + " has " + revisions.size() + " revisions, current "
                + (current.isEmpty() ? "unknown" : current), details);
    }

    private ProbeResult top(Clusters.Cluster cluster) {
        List<PodMetrics> metrics;
        try {
            metrics = cluster.client().top().pods().metrics(cluster.namespace()).getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 503) {
                return ProbeResult.of(Status.WARNING, "cluster " + cluster.name()
                        + " has no metrics API (metrics.k8s.io): resource usage is not available. Install metrics-server to see CPU and memory per pod.");
            }
            throw e;
        }
        List<List<String>> rows = new ArrayList<>();
        for (PodMetrics pod : metrics.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            BigDecimal cpu = BigDecimal.ZERO;
            BigDecimal memory = BigDecimal.ZERO;
            for (ContainerMetrics container : pod.getContainers()) {
                Quantity c = container.getUsage().get("cpu");
                Quantity m = container.getUsage().get("memory");
                if (c != null) cpu = cpu.add(c.getNumericalAmount());
                if (m != null) memory = memory.add(m.getNumericalAmount());
            }
            rows.add(List.of(pod.getMetadata().getName(),
                    cpu.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_UP) + "m",
                    memory.divide(BigDecimal.valueOf(1024L * 1024L), 0, RoundingMode.HALF_UP) + "Mi"));
        }
        Message details = Message.builder().heading("Resource usage in " + cluster.name() + "/" + cluster.namespace())
                .table(List.of("POD", "CPU", "MEMORY"), rows).build();
        return new ProbeResult(Status.OK, "resource usage of " + count(rows.size(), "pod") + " in " + cluster.name() + "/" + cluster.namespace(), details);
    }

    /** The deployment's own pods ({@link DeploymentObjects}). */
    private List<Pod> podsOf(Clusters.Cluster cluster, String deploymentName) {
        return DeploymentObjects.of(cluster, DeploymentReads.require(cluster, deploymentName)).pods();
    }

    private static Optional<String> optionalDeployment(Map<String, String> args, Clusters.Cluster cluster) {
        String raw = args.get("deployment");
        if (raw == null || raw.isBlank()) return Optional.empty();
        return Optional.of(KubernetesNames.deployment(raw, cluster.name(), cluster.config()));
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static int intArg(Map<String, String> args, String name, int fallback, int min, int max) {
        String raw = args.get(name);
        if (raw == null || raw.isBlank()) return fallback;
        int value;
        try {
            value = Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidInput("'" + raw + "' is not a whole number for " + name + "; give one from " + min + " to " + max + ".");
        }
        if (value < min || value > max) {
            throw new InvalidInput(name + " must be from " + min + " to " + max + ", got " + value + ".");
        }
        return value;
    }
}
