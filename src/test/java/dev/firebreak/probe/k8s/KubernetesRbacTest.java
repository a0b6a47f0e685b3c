package dev.firebreak.probe.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.demo.k8s.DemoCluster;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bot/kubernetes-rbac.yaml is derived from the calls Firebreak makes. Every subcommand of
 * commands/diag-k8s.yaml and commands/action-k8s.yaml runs, for every cluster of bot/clusters.yaml
 * and every deployment it allows, against the demo API server through a recording proxy; each
 * request becomes what the API server authorises (API group, resource, verb, namespace, name) and
 * is checked against the Roles and ClusterRole both ways: no request is denied, and nothing is
 * granted that no request uses. Deployments are granted by name, exactly those bot/clusters.yaml allows.
 */
class KubernetesRbacTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final String SERVICE_ACCOUNT = "firebreak";

    /** What the API server's authoriser sees of one request; {@code namespace} is empty for cluster-scoped ones. */
    record Attributes(String group, String resource, String verb, String namespace, String name) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (name.isEmpty() ? "" : " " + name)
                    + (namespace.isEmpty() ? " (cluster)" : " in " + namespace);
        }
    }

    /** One permission of a Role or ClusterRole; {@code name} is {@code *} for a rule without resourceNames. */
    record Grant(String role, String namespace, String group, String resource, String verb, String name) {
        boolean allows(Attributes request) {
            return (namespace.isEmpty() || namespace.equals(request.namespace())) && group.equals(request.group())
                    && resource.equals(request.resource()) && verb.equals(request.verb())
                    && (name.equals("*") || name.equals(request.name()));
        }

        @Override
        public String toString() {
            return role + ": " + verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (name.equals("*") ? "" : " " + name)
                    + (namespace.isEmpty() ? " (cluster)" : " in " + namespace);
        }
    }

    static DemoCluster demo;
    static RecordingApiProxy proxy;
    static ClustersConfig shipped;
    static List<Attributes> requests;
    static Set<String> handlersRun = new TreeSet<>();
    static Set<String> handlersKnown = new TreeSet<>();

    @BeforeAll
    static void runEveryProbeAndAction() throws IOException {
        demo = DemoCluster.start(CLOCK, true);
        shipped = YAML.readValue(Path.of("bot/clusters.yaml").toFile(), ClustersConfig.class);
        try (KubernetesClient kubectl = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(demo.apiServerUrl()).build()).build()) {
            shipped.clusters().values().forEach(c -> c.deployments().forEach(d -> ensureDeployment(kubectl, c.namespace(), d)));
        }
        proxy = RecordingApiProxy.to(demo.apiServerUrl());
        Map<String, ClusterConfig> throughProxy = new TreeMap<>();
        shipped.clusters().forEach((name, c) -> throughProxy.put(name, new ClusterConfig(null, null, proxy.url(), null,
                c.namespace(), c.deployments(), c.approvals(), c.timeoutSeconds())));
        try (var ops = new KubernetesOperations(new ClustersConfig(throughProxy), new KubeEnvironment(Map.of(), Path.of("none")), CLOCK)) {
            handlersKnown.addAll(ops.probes().keySet());
            handlersKnown.addAll(ops.actions().keySet());
            for (String file : List.of("commands/diag-k8s.yaml", "commands/action-k8s.yaml")) {
                for (JsonNode sub : YAML.readTree(Path.of(file).toFile()).get("subcommands")) {
                    runSubcommand(ops, sub, throughProxy);
                }
            }
        }
        requests = proxy.calls().stream().map(KubernetesRbacTest::attributes).toList();
    }

    @AfterAll
    static void stop() {
        if (proxy != null) proxy.close();
        if (demo != null) demo.close();
    }

    /** Each subcommand for each cluster, with and without its optional deployment, and for each deployment the cluster allows. */
    private static void runSubcommand(KubernetesOperations ops, JsonNode sub, Map<String, ClusterConfig> clusters) {
        boolean probe = sub.has("probe");
        String handler = probe ? sub.get("probe").asText() : sub.get("action").asText();
        handlersRun.add(handler);
        Map<String, String> fixed = new HashMap<>();
        if (sub.has("with")) sub.get("with").fields().forEachRemaining(e -> fixed.put(e.getKey(), e.getValue().asText()));
        JsonNode deploymentArg = null;
        for (JsonNode arg : sub.get("args")) {
            String name = arg.get("name").asText();
            switch (name) {
                case "deployment" -> deploymentArg = arg;
                case "lines", "count" -> fixed.put(name, "5");
                case "replicas" -> fixed.putIfAbsent(name, "2");
                case "revision" -> fixed.put(name, arg.get("default").asText());
                case "cluster" -> { }
                default -> throw new AssertionError("an argument this test does not fill: " + name + " of " + handler);
            }
        }
        for (var cluster : clusters.entrySet()) {
            List<Map<String, String>> runs = new ArrayList<>();
            if (deploymentArg == null || deploymentArg.path("optional").asBoolean()) runs.add(Map.of());
            if (deploymentArg != null) cluster.getValue().deployments().forEach(d -> runs.add(Map.of("deployment", d)));
            for (Map<String, String> run : runs) {
                Map<String, String> args = new HashMap<>(fixed);
                args.putAll(run);
                args.put("cluster", cluster.getKey());
                if (probe) {
                    ops.probes().get(handler).run(args);
                } else {
                    Action action = ops.actions().get(handler);
                    try {
                        PlannedAction plan = action.plan(args);
                        action.execute(plan, new Execution.Approved("A-1", plan.hash(), "A-1-rbac"));
                    } catch (InvalidInput e) {
                        // e.g. no earlier revision to undo to: the reads it made count all the same
                    }
                }
            }
        }
    }

    /** Adds a deployment bot/clusters.yaml allows but the demo lacks (reth), with two revisions and a pod. */
    private static void ensureDeployment(KubernetesClient kubectl, String namespace, String name) {
        if (kubectl.apps().deployments().inNamespace(namespace).withName(name).get() != null) return;
        Map<String, String> selector = Map.of("app", name);
        kubectl.resource(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(namespace).addToLabels(selector)
                .addToAnnotations("deployment.kubernetes.io/revision", "2").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels(selector).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage(name + ":2").endContainer().endSpec().endTemplate()
                .endSpec().build()).create();
        for (int revision = 1; revision <= 2; revision++) {
            kubectl.resource(new ReplicaSetBuilder().withNewMetadata().withName(name + "-rev" + revision).withNamespace(namespace)
                    .addToLabels(selector).addToLabels("pod-template-hash", "rev" + revision)
                    .addToAnnotations("deployment.kubernetes.io/revision", String.valueOf(revision)).endMetadata()
                    .withNewSpec().withNewSelector().addToMatchLabels(selector).endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels(selector).endMetadata()
                    .withNewSpec().addNewContainer().withName(name).withImage(name + ":" + revision).endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
        }
        kubectl.resource(new PodBuilder().withNewMetadata().withName(name + "-rev2-x7k2p").withNamespace(namespace)
                .addToLabels(selector).endMetadata().withNewSpec().addNewContainer().withName(name).withImage(name + ":2")
                .endContainer().endSpec().build()).create();
    }

    private static final Pattern RESOURCE_PATH = Pattern.compile(
            "/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+)(?:/([^/]+))?)?");

    /** The request as the API server's authoriser sees it (its RequestInfo: group, resource[/subresource], verb, namespace, name). */
    static Attributes attributes(RecordingApiProxy.Call call) {
        Matcher m = RESOURCE_PATH.matcher(call.path());
        assertThat(m.matches()).as("a non-resource request needs nonResourceURLs in the Role: " + call).isTrue();
        String group = m.group(1) == null ? "" : m.group(1);
        String namespace = m.group(2) == null ? "" : m.group(2);
        String resource = m.group(3) + (m.group(5) == null ? "" : "/" + m.group(5));
        String name = m.group(4) == null ? "" : m.group(4);
        boolean watch = call.query() != null && call.query().matches("(.*&)?watch=(true|1)(&.*)?");
        String verb = switch (call.method()) {
            case "GET" -> name.isEmpty() ? (watch ? "watch" : "list") : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
            default -> throw new AssertionError("unexpected method: " + call);
        };
        return new Attributes(group, resource, verb, namespace, name);
    }

    static List<JsonNode> manifests() throws IOException {
        try (var parser = YAML.getFactory().createParser(Path.of("bot/kubernetes-rbac.yaml").toFile())) {
            return YAML.readValues(parser, JsonNode.class).readAll().stream().filter(n -> n != null && !n.isEmpty()).toList();
        }
    }

    /** Every permission the Roles and the ClusterRole give the bot's service account through their bindings. */
    static List<Grant> grants() throws IOException {
        List<JsonNode> manifests = manifests();
        Set<String> bound = new LinkedHashSet<>();
        for (JsonNode binding : manifests) {
            String kind = binding.get("kind").asText();
            if (!kind.equals("RoleBinding") && !kind.equals("ClusterRoleBinding")) continue;
            boolean toBot = false;
            for (JsonNode subject : binding.get("subjects")) {
                toBot |= subject.get("kind").asText().equals("ServiceAccount") && subject.get("name").asText().equals(SERVICE_ACCOUNT);
            }
            assertThat(toBot).as(kind + " " + binding.at("/metadata/name").asText() + " binds the bot's service account").isTrue();
            bound.add(binding.at("/roleRef/kind").asText() + "/" + binding.at("/metadata/namespace").asText("") + "/"
                    + binding.at("/roleRef/name").asText());
        }
        List<Grant> grants = new ArrayList<>();
        for (JsonNode role : manifests) {
            String kind = role.get("kind").asText();
            if (!kind.equals("Role") && !kind.equals("ClusterRole")) continue;
            String namespace = kind.equals("Role") ? role.at("/metadata/namespace").asText() : "";
            String id = kind + "/" + namespace + "/" + role.at("/metadata/name").asText();
            assertThat(bound).as(id + " is bound to the bot").contains(id);
            for (JsonNode rule : role.get("rules")) {
                List<String> names = rule.has("resourceNames") ? texts(rule.get("resourceNames")) : List.of("*");
                for (String group : texts(rule.get("apiGroups")))
                    for (String resource : texts(rule.get("resources")))
                        for (String verb : texts(rule.get("verbs")))
                            for (String name : names) grants.add(new Grant(id, namespace, group, resource, verb, name));
            }
        }
        return grants;
    }

    static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void every_k8s_probe_and_action_ran_and_asked_the_api() {
        assertThat(handlersRun).as("a handler no command runs would go unchecked").isEqualTo(handlersKnown);
        assertThat(requests).isNotEmpty();
        assertThat(requests).extracting(Attributes::namespace).contains("op-stack", "indexer");
    }

    @Test
    void nothing_firebreak_asks_is_denied() throws IOException {
        List<Grant> grants = grants();
        Set<String> denied = requests.stream().filter(r -> grants.stream().noneMatch(g -> g.allows(r)))
                .map(Attributes::toString).collect(Collectors.toCollection(TreeSet::new));
        assertThat(denied).as("requests bot/kubernetes-rbac.yaml denies").isEmpty();
    }

    @Test
    void nothing_is_granted_that_no_request_uses() throws IOException {
        Set<String> unused = grants().stream().filter(g -> requests.stream().noneMatch(g::allows))
                .map(Grant::toString).collect(Collectors.toCollection(TreeSet::new));
        assertThat(unused).as("grants in bot/kubernetes-rbac.yaml that no probe or action uses").isEmpty();
    }

    @Test
    void deployments_are_granted_by_name_exactly_as_bot_clusters_yaml_allows_them_in_each_namespace() throws IOException {
        Map<String, Set<String>> allowed = new TreeMap<>();
        shipped.clusters().values().forEach(c -> allowed.computeIfAbsent(c.namespace(), n -> new TreeSet<>()).addAll(c.deployments()));
        Map<String, Set<String>> granted = new TreeMap<>();
        for (Grant grant : grants()) {
            if (grant.resource().startsWith("deployments")) {
                assertThat(grant.name()).as(grant + " names its deployments").isNotEqualTo("*");
                granted.computeIfAbsent(grant.namespace(), n -> new TreeSet<>()).add(grant.name());
            }
        }
        assertThat(granted).isEqualTo(allowed);
        Set<String> roleNamespaces = manifests().stream().filter(m -> m.get("kind").asText().equals("Role"))
                .map(m -> m.at("/metadata/namespace").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(roleNamespaces).as("one Role per namespace of bot/clusters.yaml").isEqualTo(allowed.keySet());
    }

    @Test
    void no_wildcards_no_secrets_no_writes_beyond_patching_deployments() throws IOException {
        Map<String, Set<String>> verbsByResource = new LinkedHashMap<>();
        for (Grant grant : grants()) {
            assertThat(grant.group() + grant.resource() + grant.verb()).as(grant.toString()).doesNotContain("*");
            verbsByResource.computeIfAbsent(grant.resource(), r -> new TreeSet<>()).add(grant.verb());
        }
        assertThat(verbsByResource).doesNotContainKeys("secrets", "pods/exec", "configmaps");
        verbsByResource.forEach((resource, verbs) -> assertThat(verbs).as(resource)
                .isSubsetOf(resource.equals("deployments") ? Set.of("get", "patch") : Set.of("get", "list")));
    }
}
