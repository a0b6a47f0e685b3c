package dev.firebreak.probe.k8s;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ClustersConfigTest {

    @Test
    void a_valid_cluster_has_no_problems_and_default_approvals() {
        ClusterConfig mainnet = new ClusterConfig("prod-eks", null, null, null, "op-stack",
                List.of("op-node", "op-batcher"), null, null);
        ClustersConfig config = new ClustersConfig(Map.of("mainnet", mainnet));

        assertThat(config.problems(Set.of("two-approvers"))).isEmpty();
        assertThat(mainnet.approvalsOrDefault().policyFor(DeploymentVerb.SCALE, 0)).contains("two-approvers");
        assertThat(mainnet.approvalsOrDefault().policyFor(DeploymentVerb.SCALE, 2)).isEmpty();
        assertThat(mainnet.approvalsOrDefault().policyFor(DeploymentVerb.RESTART, 1)).isEmpty();
        assertThat(mainnet.approvalsOrDefault().policyFor(DeploymentVerb.UNDO, 0)).contains("two-approvers");
    }

    @Test
    void every_problem_names_its_path_and_the_fix() {
        ClusterConfig broken = new ClusterConfig("ctx", true, null, null, "Op_Stack",
                List.of("op-node", "deployment/op-geth", "op-node"), new ActionApprovals("three-approvers", null, null, "none"), 500);
        List<String> problems = new ClustersConfig(Map.of("mainnet", broken)).problems(Set.of("two-approvers"));

        assertThat(problems).containsExactlyInAnyOrder(
                "clusters.mainnet: more than one way to reach the cluster; set exactly one of context (kubeconfig context name), inCluster: true, or apiServer (URL)",
                "clusters.mainnet.namespace: 'Op_Stack' is not a valid namespace name; use lower-case letters, digits and '-', at most 63 characters",
                "clusters.mainnet.deployments[1]: 'deployment/op-geth' is not a valid deployment name; use the bare name, e.g. op-node",
                "clusters.mainnet.deployments[2]: 'op-node' is listed twice; list it once",
                "clusters.mainnet.timeoutSeconds: 500 is out of range; use 1 to 120",
                "clusters.mainnet.approvals.restart: unknown policy 'three-approvers'; use one of [two-approvers] from bot/approvals.yaml, or 'none'");
        assertThat(new ClustersConfig(Map.of()).problems()).singleElement().asString().startsWith("clusters: empty");
    }
}
