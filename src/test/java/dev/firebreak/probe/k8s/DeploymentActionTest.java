package dev.firebreak.probe.k8s;

import dev.firebreak.approval.ExecutionKeys;
import dev.firebreak.probe.Execution;
import dev.firebreak.demo.k8s.DemoCluster;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.FixedArguments;
import dev.firebreak.probe.PlannedAction;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DeploymentActionTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    DemoCluster cluster;
    KubernetesOperations operations;
    KubernetesClient kubectl;

    @BeforeEach
    void start() {
        cluster = DemoCluster.start(CLOCK, false);
        operations = new KubernetesOperations(cluster.clustersConfig("demo"), CLOCK);
        kubectl = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(cluster.apiServerUrl()).build()).build();
    }

    @AfterEach
    void stop() {
        kubectl.close();
        operations.close();
        cluster.close();
    }

    Deployment read(String name) {
        return kubectl.apps().deployments().inNamespace("op-stack").withName(name).get();
    }

    @Test
    void restart_runs_without_approval_and_reads_back_restartedAt() {
        PlannedAction plan = operations.actions().get("k8s.restart").plan(Map.of("cluster", "demo", "deployment", "op-node"));
        assertThat(plan.canonical()).containsExactlyInAnyOrderEntriesOf(Map.of("cluster", "demo", "namespace", "op-stack",
                "deployment", "op-node", "verb", "restart", "approval", "none"));
        assertThat(KubernetesOperations.approvalPolicy(plan)).isEmpty();

        ActionResult result = operations.actions().get("k8s.restart").execute(plan, Execution.approved(plan, "req-1"));

        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains("restartedAt = 2026-03-01T12:00:00Z");
        assertThat(read("op-node").getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-03-01T12:00:00Z");
    }

    @Test
    void a_value_planning_refuses_is_refused_by_validation_with_the_same_message() {
        for (var bad : List.of(Map.entry("k8s.scale", Map.of("cluster", "demo", "deployment", "op-node", "replicas", "500")),
                Map.entry("k8s.scale", Map.of("cluster", "demo", "deployment", "op-node", "replicas", "0")),
                Map.entry("k8s.restart", Map.of("cluster", "staging", "deployment", "op-node")),
                Map.entry("k8s.restart", Map.of("cluster", "demo", "deployment", "postgres")),
                Map.entry("k8s.undo", Map.of("cluster", "demo", "deployment", "op-node", "revision", "last")))) {
            Action action = operations.actions().get(bad.getKey());
            String refused = catchThrowableOfType(InvalidInput.class, () -> action.plan(bad.getValue())).getMessage();
            assertThat(FixedArguments.problem(action, bad.getValue(), Set.of())).as(bad.getKey() + " " + bad.getValue())
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        Action scale = operations.actions().get("k8s.scale");
        assertThat(FixedArguments.problem(scale, Map.of("replicas", "0"), Set.of("cluster", "deployment")))
                .as("scaling to 0 without stop is refused whichever deployment chat names")
                .hasValueSatisfying(p -> assertThat(p.message()).startsWith("Scaling to 0 stops the deployment"));
        assertThat(FixedArguments.problem(scale, Map.of("replicas", "0", "stop", "true"), Set.of("cluster", "deployment"))).isEmpty();
        assertThat(FixedArguments.problem(operations.actions().get("k8s.undo"), Map.of("revision", "latest"), Set.of("cluster", "deployment")))
                .as("a malformed revision is refused whichever deployment chat names").isPresent();
        assertThat(FixedArguments.problem(operations.actions().get("k8s.restart"), Map.of("deployment", "postgres"), Set.of("cluster")))
                .as("the allow-list is the cluster's: left to the run when chat names the cluster").isEmpty();
    }

    @Test
    void validation_asks_nothing_of_the_cluster_which_planning_reads() {
        ClusterConfig unreachable = new ClusterConfig(null, null, "http://127.0.0.1:1", null, "op-stack",
                DemoCluster.DEPLOYMENTS, null, 1);
        try (var down = new KubernetesOperations(new ClustersConfig(Map.of("demo", unreachable)), CLOCK)) {
            Action restart = down.actions().get("k8s.restart");
            assertThat(FixedArguments.problem(restart, Map.of("deployment", "op-node"), Set.of())).isEmpty();
            assertThatThrownBy(() -> restart.plan(Map.of("deployment", "op-node"))).isInstanceOf(InvalidInput.class)
                    .hasMessageContaining("Cannot plan restart of op-node in cluster demo");
        }
    }

    @Test
    void the_same_approval_never_runs_twice() {
        var scale = operations.actions().get("k8s.scale");
        PlannedAction plan = scale.plan(Map.of("deployment", "op-batcher", "replicas", "3"));
        assertThat(scale.execute(plan, Execution.approved(plan, "req-7")).succeeded()).isTrue();
        kubectl.apps().deployments().inNamespace("op-stack").withName("op-batcher").scale(5);

        ActionResult again = scale.execute(plan, Execution.approved(plan, "req-7"));

        assertThat(again.summary()).startsWith("Already done under request req-7");
        assertThat(read("op-batcher").getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void scale_to_zero_needs_the_policy_and_reads_back_zero_replicas() {
        PlannedAction plan = operations.actions().get("k8s.scale").plan(Map.of("deployment", "op-node", "replicas", "0", "stop", "true"));
        assertThat(plan.canonical()).containsEntry("replicas", "0").containsEntry("approval", "two-approvers");
        assertThat(plan.preview().plainText()).contains("from 1 to 0 replicas").contains("policy two-approvers");

        ActionResult result = operations.actions().get("k8s.scale").execute(plan, Execution.approved(plan, "req-2"));

        assertThat(result.succeeded()).as(result.summary()).isTrue();
        assertThat(result.summary()).contains("spec.replicas is 0");
        assertThat(read("op-node").getSpec().getReplicas()).isZero();
    }

    @Test
    void an_action_the_cluster_gates_is_refused_when_run_without_approval() {
        ClusterConfig strict = new ClusterConfig(null, null, cluster.apiServerUrl(), null, "op-stack",
                DemoCluster.DEPLOYMENTS, new ActionApprovals("two-approvers", null, null, null), 5);
        try (var gated = new KubernetesOperations(new ClustersConfig(Map.of("demo", strict)), CLOCK)) {
            PlannedAction plan = gated.actions().get("k8s.restart").plan(Map.of("deployment", "op-geth"));
            assertThat(KubernetesOperations.approvalPolicy(plan)).contains("two-approvers");

            ActionResult direct = gated.actions().get("k8s.restart").execute(plan, Execution.ungated("direct-0a1b2c3d-42"));

            assertThat(direct.succeeded()).isFalse();
            assertThat(direct.summary()).contains("requires approval under policy two-approvers");
            assertThat(read("op-geth").getSpec().getTemplate().getMetadata().getAnnotations())
                    .doesNotContainKey("kubectl.kubernetes.io/restartedAt");
            assertThat(gated.actions().get("k8s.restart").execute(plan, Execution.approved(plan, "approval-17")).succeeded()).isTrue();
        }
    }

    @Test
    void an_unreachable_cluster_at_execution_is_a_failed_result() {
        PlannedAction plan = operations.actions().get("k8s.restart").plan(Map.of("deployment", "op-node"));
        ClusterConfig gone = new ClusterConfig(null, null, "http://127.0.0.1:1", null, "op-stack", DemoCluster.DEPLOYMENTS, null, 2);
        try (var later = new KubernetesOperations(new ClustersConfig(Map.of("demo", gone)), CLOCK)) {
            ActionResult result = later.actions().get("k8s.restart").execute(plan, Execution.approved(plan, "req-9"));

            assertThat(result.succeeded()).isFalse();
            assertThat(result.summary()).startsWith("restart of demo/op-stack deployment/op-node failed: cannot connect");
            assertThatThrownBy(() -> later.actions().get("k8s.restart").plan(Map.of("deployment", "op-node")))
                    .isInstanceOf(InvalidInput.class).hasMessageContaining("Nothing was changed");
        }
    }

    @Test
    void scale_up_runs_at_once_and_bad_replica_counts_are_refused() {
        PlannedAction plan = operations.actions().get("k8s.scale").plan(Map.of("deployment", "op-geth", "replicas", "2"));
        assertThat(plan.canonical()).containsEntry("approval", "none");
        for (String bad : List.of("-1", "two", "101")) {
            assertThatThrownBy(() -> operations.actions().get("k8s.scale").plan(Map.of("deployment", "op-geth", "replicas", bad)))
                    .isInstanceOf(InvalidInput.class).hasMessageContaining("replicas");
        }
        assertThatThrownBy(() -> operations.actions().get("k8s.scale").plan(Map.of("deployment", "op-geth", "replicas", "0")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("use /action stop");
        assertThatThrownBy(() -> operations.actions().get("k8s.scale").plan(Map.of("deployment", "op-geth")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("Give the number of replicas");
        assertThat(read("op-geth").getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void undo_to_previous_binds_the_revision_and_images_and_rolls_the_template_back() {
        var undo = operations.actions().get("k8s.undo");
        PlannedAction plan = undo.plan(Map.of("deployment", "op-node"));
        assertThat(plan.canonical()).containsEntry("revision", "2").containsEntry("approval", "two-approvers")
                .containsEntry("images", "us-docker.pkg.dev/oplabs-tools-artifacts/images/op-node:v1.9.3");

        ActionResult result = undo.execute(plan, Execution.approved(plan, "req-3"));

        assertThat(result.succeeded()).as(result.summary()).isTrue();
        Deployment after = read("op-node");
        assertThat(after.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith("op-node:v1.9.3");
        assertThat(after.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("pod-template-hash");
    }

    @Test
    void undo_to_a_given_revision_and_refusals() {
        var undo = operations.actions().get("k8s.undo");
        assertThat(undo.plan(Map.of("deployment", "op-node", "revision", "1")).canonical()).containsEntry("revision", "1");
        assertThatThrownBy(() -> undo.plan(Map.of("deployment", "op-node", "revision", "3")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("what op-node runs now");
        assertThatThrownBy(() -> undo.plan(Map.of("deployment", "op-node", "revision", "9")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("Revisions: 1, 2, 3");
        assertThatThrownBy(() -> undo.plan(Map.of("deployment", "op-proposer")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("no revision before 1");
    }

    @Test
    void a_plan_for_another_action_or_a_deployment_no_longer_allowed_is_refused() {
        PlannedAction plan = operations.actions().get("k8s.scale").plan(Map.of("deployment", "op-node", "replicas", "0", "stop", "true"));
        assertThat(operations.actions().get("k8s.restart").execute(plan, Execution.approved(plan, "req-4")).succeeded()).isFalse();

        ClusterConfig narrowed = new ClusterConfig(null, null, cluster.apiServerUrl(), null, "op-stack",
                List.of("op-geth"), null, 5);
        try (var later = new KubernetesOperations(new ClustersConfig(Map.of("demo", narrowed)), CLOCK)) {
            ActionResult refused = later.actions().get("k8s.scale").execute(plan, Execution.approved(plan, "req-4"));
            assertThat(refused.succeeded()).isFalse();
            assertThat(refused.summary()).contains("not on the allow-list");
        }
        assertThat(read("op-node").getSpec().getReplicas()).isEqualTo(1);
    }

    /** Marks a deployment as an earlier Firebreak (another store, an older version) left it. */
    void markedEarlier(String name, Map<String, String> annotations, String restartedAt) {
        kubectl.apps().deployments().inNamespace("op-stack").withName(name).edit(d -> {
            d.getMetadata().getAnnotations().putAll(annotations);
            if (restartedAt != null) d.getSpec().getTemplate().getMetadata().setAnnotations(Map.of(DeploymentAction.RESTARTED_AT, restartedAt));
            return d;
        });
    }

    static Execution approvedOnAFreshStore(PlannedAction plan) {
        return new Execution.Approved("A-1", plan.hash(), ExecutionKeys.forRequest(1));
    }

    @Test
    void a_fresh_stores_A_1_meets_an_old_A_1_mark_and_still_restarts() {
        markedEarlier("op-proposer", Map.of(DeploymentAction.EXECUTION_KEY, "A-1"), "2026-02-18T09:30:00Z");
        var restart = operations.actions().get("k8s.restart");
        PlannedAction plan = restart.plan(Map.of("deployment", "op-proposer"));

        ActionResult result = restart.execute(plan, approvedOnAFreshStore(plan));

        assertThat(result.summary()).doesNotContain("Already done").contains("restartedAt = 2026-03-01T12:00:00Z");
        Deployment after = read("op-proposer");
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(DeploymentAction.RESTARTED_AT, "2026-03-01T12:00:00Z");
        assertThat(after.getMetadata().getAnnotations()).containsEntry(DeploymentAction.EXECUTION_PLAN, plan.hash())
                .hasEntrySatisfying(DeploymentAction.EXECUTION_KEY, key -> assertThat(key).matches("A-1-[0-9a-f]{32}"));
    }

    @Test
    void an_old_A_1_mark_does_not_make_an_approved_stop_a_no_op() {
        markedEarlier("op-node", Map.of(DeploymentAction.EXECUTION_KEY, "A-1"), null);
        var scale = operations.actions().get("k8s.scale");
        PlannedAction stop = scale.plan(Map.of("deployment", "op-node", "replicas", "0", "stop", "true"));

        assertThat(scale.execute(stop, approvedOnAFreshStore(stop)).summary()).startsWith("Scaled").contains("spec.replicas is 0");
        assertThat(read("op-node").getSpec().getReplicas()).isZero();
    }

    @Test
    void the_same_key_recorded_for_another_change_is_not_this_change_done() {
        var scale = operations.actions().get("k8s.scale");
        PlannedAction toFive = scale.plan(Map.of("deployment", "op-batcher", "replicas", "5"));
        PlannedAction toThree = scale.plan(Map.of("deployment", "op-batcher", "replicas", "3"));
        markedEarlier("op-batcher", Map.of(DeploymentAction.EXECUTION_KEY, "A-7-3f9c", DeploymentAction.EXECUTION_PLAN, toFive.hash()), null);

        ActionResult result = scale.execute(toThree, new Execution.Approved("A-7", toThree.hash(), "A-7-3f9c"));

        assertThat(result.summary()).doesNotContain("Already done").contains("spec.replicas is 3");
        assertThat(read("op-batcher").getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void restart_and_undo_of_a_paused_deployment_are_refused_as_kubectl_refuses_them_and_scale_still_works() {
        var restart = operations.actions().get("k8s.restart");
        var undo = operations.actions().get("k8s.undo");
        var scale = operations.actions().get("k8s.scale");
        PlannedAction restartPlanned = restart.plan(Map.of("deployment", "op-node"));
        PlannedAction undoPlanned = undo.plan(Map.of("deployment", "op-node"));
        kubectl.apps().deployments().inNamespace("op-stack").withName("op-node").edit(d -> {
            d.getSpec().setPaused(true);
            return d;
        });
        Deployment paused = read("op-node");

        for (var action : List.of(restart, undo)) {
            assertThatThrownBy(() -> action.plan(Map.of("deployment", "op-node")))
                    .isInstanceOf(InvalidInput.class)
                    .hasMessageContaining("deployment op-node in demo/op-stack is paused")
                    .hasMessageContaining("kubectl rollout resume deployment/op-node -n op-stack")
                    .hasMessageEndingWith("Nothing was changed.");
        }
        ActionResult restarted = restart.execute(restartPlanned, approvedOnAFreshStore(restartPlanned));
        assertThat(restarted.succeeded()).isFalse();
        assertThat(restarted.summary()).contains("is paused, and a paused deployment cannot be restarted");
        ActionResult undone = undo.execute(undoPlanned, approvedOnAFreshStore(undoPlanned));
        assertThat(undone.succeeded()).isFalse();
        assertThat(undone.summary()).contains("is paused, and a paused deployment cannot be rolled back");
        Deployment after = read("op-node");
        assertThat(after.getSpec()).as("nothing changed").isEqualTo(paused.getSpec());
        assertThat(after.getMetadata().getAnnotations()).isEqualTo(paused.getMetadata().getAnnotations());

        PlannedAction toTwo = scale.plan(Map.of("deployment", "op-node", "replicas", "2"));
        assertThat(scale.execute(toTwo, approvedOnAFreshStore(toTwo)).succeeded()).as("kubectl scales a paused deployment").isTrue();
        assertThat(read("op-node").getSpec().getReplicas()).isEqualTo(2);
    }
}
