package dev.firebreak.runbook.packs;

import dev.firebreak.demo.k8s.DemoCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 002 (Jeju) as runbooks/jeju-op-stack.yaml runs it against the demo: the mock op-stack
 * cluster with op-node crash-looping, anvil with the L2OutputOracle, the op-node stand-in and the
 * EigenDA stand-in. Every runbook of the pack runs here at least once; each test restores what it
 * changes in the shared peers.
 */
class JejuOpStackPackTest {

    static DemoConsole console;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    /** Declares an incident in a fresh store and returns the console prefix of alice in its channel. */
    private static String declare(String store, String declaration, String slug, StringBuilder out) {
        out.append(console.session(store, "alice> /incident declare " + declaration + "\n"));
        return "alice #" + DemoConsole.incidentChannel(slug) + "> ";
    }

    /** A security incident's channel is named without its title: read the name from what the console printed. */
    private static String declareSecurity(String store, String declaration, StringBuilder out) {
        out.append(console.session(store, "alice> /incident declare " + declaration + "\n"));
        java.util.regex.Matcher created = java.util.regex.Pattern.compile("\\[#(inc-\\d{8}-sec-[a-z0-9]{6})] created").matcher(out);
        assertThat(created.find()).as(out.toString()).isTrue();
        return "alice #" + created.group(1) + "> ";
    }

    private static int replicas(String deployment) {
        return console.demo().cluster().replicas(DemoCluster.NAMESPACE, deployment);
    }

    @Test
    void network_down_finds_the_crash_looping_sequencer_restarts_it_and_drafts_the_report() {
        StringBuilder out = new StringBuilder();
        String alice = declare("network-down", "P0 Jeju network down, no block production", "jeju-network-down-no-block-production", out);
        out.append(console.session("network-down", alice + "/runbook run jeju-triage cluster=mainnet l2=devnet\n"
                + alice + "/runbook run jeju-network-down cluster=mainnet l1=devnet l2=devnet\n"
                + alice + "/runbook continue R-2\n"));
        String text = out.toString();

        assertThat(text).contains("Suggested runbooks:").contains("`/runbook show jeju-network-down`");
        assertThat(text).contains("[CRIT] Step 3/7 `/diag pods mainnet`: 4 pods in mainnet/op-stack, 1 failing")
                .contains("P3 (next business day, regular ticket)")
                .contains("(for a person): Set the severity from the snapshot above")
                .contains("Runbook jeju-triage (R-1) finished.");
        assertThat(text).containsPattern("\\[CRIT\\] Step 1/15 `/diag pods mainnet op-node`: 1 pod .*1 failing")
                .containsPattern("op-node-\\w+-x7k2p\\s+CrashLoopBackOff\\s+0/1\\s+23")
                .contains("failed to load L1 origin: context deadline exceeded")
                .contains("url=https://eth-mainnet.g.alchemy.com/v2/****")
                .doesNotContain("Xk29fLq0aZr7TbPq84mWnCd1")
                .contains("Readiness probe failed")
                .contains("Step 4/15 `/diag block devnet`: devnet head")
                .contains("Step 5/15 `/diag sync devnet`: devnet sync: unsafe")
                .contains("Step 6/15 waits for a person: 4. Restart the sequencer if needed")
                .contains("Restarted mainnet/op-stack deployment/op-node: kubectl.kubernetes.io/restartedAt")
                .contains("Step 10/15 `/diag nodes mainnet`: 2 nodes in mainnet, 0 not ready")
                .contains("(for a person): Cause 1, L1 RPC failure")
                .contains("(for a person): Cause 3, bad block")
                .contains("template incident-report").contains("INCIDENT REPORT - Jeju network down, no block production")
                .contains("updates every 15m")
                .contains("Runbook jeju-network-down (R-2) finished.");
        assertThat(text).doesNotContain("could not run").doesNotContain("Exception");
    }

    @Test
    void sequencer_recovery_waits_for_two_approvals_before_scaling_op_node_to_zero_then_scales_it_back() {
        StringBuilder out = new StringBuilder();
        String alice = declare("recovery", "P0 sequencer restart did not help", "sequencer-restart-did-not-help", out);
        String first = console.session("recovery", alice + "/runbook run jeju-sequencer-recovery cluster=mainnet l2=devnet\n");

        assertThat(first).contains("Approval needed A-1: k8s.scale")
                .contains("Scale mainnet/op-stack deployment/op-node from 1 to 0 replicas")
                .contains("Step 1/7 `/action stop mainnet op-node` waits for approval A-1")
                .doesNotContain("Step 2/7");
        assertThat(replicas("op-node")).isEqualTo(1);

        String text = GatedSteps.approveAll(console, "recovery", first);
        assertThat(text).contains("A-1 approved by bob, carol")
                .contains("Scaled mainnet/op-stack deployment/op-node: spec.replicas is 0 (read back)")
                .containsPattern("Step 2/7 `/diag pvcs mainnet`: 2 PVCs in mainnet/op-stack, 0 not bound")
                .contains("op-node-data")
                .contains("[waiting] Step 3/7 waits for a person: 3. If op-node-data is corrupted")
                .contains("`/runbook continue R-1`")
                .doesNotContain("Step 4/7");
        assertThat(replicas("op-node")).as("nothing scales back up before the volume is confirmed").isZero();

        String rest = console.session("recovery", alice + "/runbook continue R-1\n");
        assertThat(rest).contains("alice confirmed step 3 of R-1")
                .contains("Step 4/7 `/action scale mainnet op-node 1`")
                .contains("Step 6/7 `/diag block devnet`")
                .contains("Runbook jeju-sequencer-recovery (R-1) finished.");
        assertThat(replicas("op-node")).isEqualTo(1);
        assertThat(console.session("recovery", alice + "/runbook continue R-1\n"))
                .contains("R-1 (jeju-sequencer-recovery) is done, not waiting for a person; nothing to continue.");
    }

    @Test
    void security_breach_pauses_the_oracle_and_stops_the_stack_then_recovery_brings_it_back() {
        StringBuilder out = new StringBuilder();
        String alice = declareSecurity("breach", "--security P0 bridge exploit in progress", out);
        assertThat(out).contains("Pause all contracts (multisig): `/runbook show jeju-security-breach`").contains("DO NOT DISCLOSE");

        String first = console.session("breach", alice + "/runbook run jeju-security-breach cluster=mainnet l2=devnet\n");
        assertThat(first).contains("Approval needed A-1").contains("waits for approval A-1").doesNotContain("Step 2/");

        String text = GatedSteps.approveAll(console, "breach", first);
        assertThat(GatedSteps.requests(text)).isEqualTo(4);
        assertThat(text).contains("l2OutputOracle.paused() == true: holds")
                .contains("(for a person): 1. Pause every other Jeju contract through the Gnosis Safe")
                .contains("deployment/op-node: spec.replicas is 0")
                .contains("deployment/op-batcher: spec.replicas is 0")
                .contains("deployment/op-proposer: spec.replicas is 0")
                .contains("l2OutputOracle.paused() = true")
                .contains("DO NOT: disclose details publicly before the patch")
                .contains("(for a person): Investigation: identify the attack vector.")
                .contains("OutputProposed event(s) on l2OutputOracle")
                .contains("template jeju-security-statement").contains("For urgent queries: security@jeju.network")
                .contains("Runbook jeju-security-breach (R-1) finished.");
        assertThat(replicas("op-node")).isZero();
        assertThat(replicas("op-batcher")).isZero();
        assertThat(replicas("op-proposer")).isZero();

        String held = console.session("breach", alice + "/runbook run jeju-security-recovery cluster=mainnet l2=devnet\n");
        assertThat(held).contains("[waiting] Step 1/8 waits for a person: Confirm with the response team")
                .doesNotContain("Approval needed");
        String recovery = GatedSteps.approveAll(console, "breach", console.session("breach", alice + "/runbook continue R-2\n"));
        assertThat(recovery).contains("l2OutputOracle.paused() == false: holds")
                .contains("Runbook jeju-security-recovery (R-2) finished.");
        assertThat(replicas("op-node")).isEqualTo(1);
        assertThat(replicas("op-batcher")).isEqualTo(1);
        assertThat(replicas("op-proposer")).isEqualTo(1);
    }

    @Test
    void batcher_runbooks_find_the_low_balance_top_it_up_and_check_the_data_availability_layer() {
        StringBuilder out = new StringBuilder();
        String alice = declare("batcher", "P1 batcher failing to submit batches", "batcher-failing-to-submit-batches", out);
        String text = console.session("batcher", alice + "/runbook run jeju-batcher-failing cluster=mainnet l1=devnet l2=devnet\n");
        assertThat(text).contains("Last 50 log lines of op-batcher")
                .contains("--private-key=****").doesNotContain("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d")
                .contains("[warn] Step 2/7 `/diag balance batcher`: batcher 0.5 ETH - below warning 1 ETH")
                .contains("Step 4/7 `/diag gas devnet`: devnet gas price")
                .contains("[ok] Step 5/7 `/diag health eigenda`: eigenda /health: HTTP 200")
                .contains("Runbook jeju-batcher-failing (R-1) finished.");

        String topUp = GatedSteps.approveAll(console, "batcher",
                console.session("batcher", alice + "/runbook run jeju-batcher-top-up cluster=mainnet l2=devnet\n"));
        assertThat(topUp).contains("Approval needed A-1").contains("A-1 approved by bob, carol")
                .contains("Step 3/7 `/diag balance batcher`: batcher 5.5 ETH")
                .contains("Restarted mainnet/op-stack deployment/op-batcher")
                .contains("Runbook jeju-batcher-top-up (R-2) finished.");

        console.demo().eigenDa().setAvailable(false);
        try {
            String fallback = console.session("batcher", alice + "/runbook run jeju-batcher-gas-price cluster=mainnet l1=devnet l2=devnet\n"
                    + alice + "/runbook continue R-3\n"
                    + alice + "/runbook run jeju-batcher-da-fallback cluster=mainnet l2=devnet\n"
                    + alice + "/runbook continue R-4\n"
                    + alice + "/runbook run jeju-batcher-invalid-batch cluster=mainnet\n");
            assertThat(fallback).contains("waits for a person: Edit op-batcher/values.yaml: set maxGasPrice: \"200\"")
                    .contains("alice confirmed step 2 of R-3")
                    .contains("Runbook jeju-batcher-gas-price (R-3) finished.")
                    .contains("[CRIT] Step 1/6 `/diag health eigenda`: eigenda /health: HTTP 503")
                    .contains("set useEigenDA: false")
                    .contains("Runbook jeju-batcher-da-fallback (R-4) finished.")
                    .contains("Rollout history of op-node")
                    .contains("(for a person): Escalate to core engineering")
                    .contains("Runbook jeju-batcher-invalid-batch (R-5) finished.");
        } finally {
            console.demo().eigenDa().setAvailable(true);
        }
    }

    @Test
    void proposer_runbooks_read_the_oracle_fund_the_proposer_and_pause_the_oracle_against_an_attacker() {
        StringBuilder out = new StringBuilder();
        String alice = declare("proposer", "P1 proposer stuck", "proposer-stuck", out);
        String text = console.session("proposer", alice + "/runbook run jeju-proposer-stuck cluster=mainnet l2=devnet\n"
                + alice + "/runbook run jeju-proposer-resync cluster=mainnet l2=devnet\n"
                + alice + "/runbook continue R-2\n"
                + alice + "/runbook run jeju-proposer-conflicting-root\n");
        assertThat(text).contains("proposed output").contains("l2OutputOracle.latestOutputIndex() = 1")
                .contains("2 OutputProposed event(s) on l2OutputOracle").contains("l2OutputIndex=1 l2BlockNumber=3600")
                .contains("(for a person): 4. Can the proposer compute a state root?")
                .contains("Restarted mainnet/op-stack deployment/op-proposer")
                .contains("Runbook jeju-proposer-resync (R-2) finished.")
                .contains("Legitimate proposer: our proposer skips this output")
                .contains("Runbook jeju-proposer-conflicting-root (R-3) finished.");

        String topUp = GatedSteps.approveAll(console, "proposer",
                console.session("proposer", alice + "/runbook run jeju-proposer-top-up\n"));
        assertThat(topUp).contains("A-1 approved by bob, carol").containsPattern("Step 3/4 `/diag balance proposer`: proposer \\d+\\.\\d+ ETH")
                .contains("Runbook jeju-proposer-top-up (R-4) finished.");

        String pause = GatedSteps.approveAll(console, "proposer",
                console.session("proposer", alice + "/runbook run jeju-oracle-pause\n"));
        assertThat(pause).contains("l2OutputOracle.paused() == true: holds").contains("l2OutputOracle.paused() = true")
                .containsPattern("Paused event\\(s\\) on l2OutputOracle")
                .contains("Runbook jeju-oracle-pause (R-5) finished.");

        String unpause = GatedSteps.approveAll(console, "proposer",
                console.session("proposer", alice + "/action unpause l2OutputOracle\n"));
        assertThat(unpause).contains("l2OutputOracle.paused() == false: holds");
    }

    @Test
    void rpc_runbooks_scale_the_rpc_nodes_and_stop_the_indexer_after_two_approvals() {
        StringBuilder out = new StringBuilder();
        String alice = declare("rpc", "P1 RPC degraded performance", "rpc-degraded-performance", out);
        String text = console.session("rpc", alice + "/runbook run jeju-rpc-degraded cluster=mainnet rpc=op-geth l2=devnet\n"
                + alice + "/runbook run jeju-rpc-scale cluster=mainnet rpc=op-geth\n"
                + alice + "/runbook run jeju-rpc-rate-limit cluster=mainnet rpc=op-geth\n");
        assertThat(text).containsPattern("op-geth-\\w+-x7k2p\\s+1850m\\s+7450Mi")
                .contains("netstat -an | grep :8545")
                .contains("Chain head was updated")
                .contains("Scaled mainnet/op-stack deployment/op-geth")
                .contains("nginx.ingress.kubernetes.io/rate-limit")
                .contains("Runbook jeju-rpc-rate-limit (R-3) finished.");
        assertThat(replicas("op-geth")).isEqualTo(3);
        console.session("rpc", alice + "/action scale mainnet op-geth 1\n");
        assertThat(replicas("op-geth")).isEqualTo(1);

        String indexer = GatedSteps.approveAll(console, "rpc",
                console.session("rpc", alice + "/runbook run jeju-rpc-database-slow\n"));
        assertThat(indexer).contains("(for a person): Check RDS performance")
                .contains("1 pod in mainnet-indexer/indexer")
                .contains("Scale mainnet-indexer/indexer deployment/subsquid from 1 to 0 replicas")
                .contains("A-1 approved by bob, carol")
                .contains("Runbook jeju-rpc-database-slow (R-4) finished.");
        assertThat(console.demo().cluster().replicas(DemoCluster.INDEXER_NAMESPACE, "subsquid")).isZero();
        console.session("rpc", alice + "/action scale mainnet-indexer subsquid 1\n");
        assertThat(console.demo().cluster().replicas(DemoCluster.INDEXER_NAMESPACE, "subsquid")).isEqualTo(1);
    }

    @Test
    void resource_runbooks_show_usage_and_volumes_and_restart_to_reclaim_memory() {
        StringBuilder out = new StringBuilder();
        String alice = declare("resources", "P2 high resource utilization", "high-resource-utilization", out);
        String text = console.session("resources", alice + "/runbook run jeju-high-cpu cluster=mainnet deployment=op-geth\n"
                + alice + "/runbook run jeju-high-memory cluster=mainnet deployment=op-geth\n"
                + alice + "/runbook continue R-2\n"
                + alice + "/runbook run jeju-high-disk cluster=mainnet deployment=op-geth\n");
        assertThat(text).contains("resource usage of 4 pods in mainnet/op-stack")
                .contains("Last 100 log lines of op-geth")
                .contains("(for a person): op-node or reth: may be normal under high traffic")
                .contains("Restarted mainnet/op-stack deployment/op-geth")
                .containsPattern("op-geth-data\\s+Bound\\s+pvc-4f1c9e2a\\s+500Gi")
                .contains("kubectl exec -n op-stack deployment/op-geth -- df -h")
                .contains("Runbook jeju-high-disk (R-3) finished.");
    }

    @Test
    void rollback_undoes_op_node_to_the_previous_image_after_two_approvals() {
        StringBuilder out = new StringBuilder();
        String alice = declare("rollback", "P1 op-node regression after deploy", "op-node-regression-after-deploy", out);
        assertThat(console.demo().cluster().image(DemoCluster.NAMESPACE, "op-node")).endsWith("op-node:v1.9.4");
        String first = console.session("rollback",
                alice + "/runbook run jeju-rollback cluster=mainnet deployment=op-node revision=previous\n");
        assertThat(first).contains("op-node has 3 revisions, current 3").contains("Approval needed A-1")
                .contains("waits for approval A-1");
        assertThat(console.demo().cluster().image(DemoCluster.NAMESPACE, "op-node")).endsWith("op-node:v1.9.4");

        String text = GatedSteps.approveAll(console, "rollback", first);
        assertThat(text).contains("A-1 approved by bob, carol").contains("Runbook jeju-rollback (R-1) finished.");
        assertThat(console.demo().cluster().image(DemoCluster.NAMESPACE, "op-node")).endsWith("op-node:v1.9.3");

        String helm = console.session("rollback", alice + "/runbook run jeju-helm-rollback cluster=mainnet deployment=op-node\n");
        assertThat(helm).contains("helm rollback op-node -n op-stack").contains("Runbook jeju-helm-rollback (R-2) finished.");
    }

    @Test
    void communication_postmortem_escalation_daily_checks_and_handoff() {
        StringBuilder out = new StringBuilder();
        String alice = declare("comms", "P1 withdrawals delayed", "withdrawals-delayed", out);
        String text = console.session("comms", alice + "/runbook run jeju-communications\n"
                + alice + "/runbook run jeju-escalation\n"
                + alice + "/runbook run jeju-daily-checks cluster=mainnet l2=devnet\n"
                + alice + "/runbook run jeju-oncall-handoff\n"
                + alice + "/runbook run jeju-postmortem\n");
        assertThat(text).contains("Update every 15 minutes for P0, every 30 for P1")
                .contains("template status-page-investigating").contains("[INVESTIGATING] We are investigating reports of withdrawals delayed")
                .contains("(for a person): P0/P1: post the status on X")
                .contains("Runbook jeju-communications (R-1) finished.")
                .contains("(for a person): Level 4, external partners")
                .contains("Runbook jeju-escalation (R-2) finished.")
                .contains("(for a person): Check the Grafana dashboards.")
                .contains("chain id 31337")
                .contains("Runbook jeju-daily-checks (R-3) finished.")
                .contains("*On-call handoff* for primary (On-call engineer)").contains("(posted by alice)").contains("INC-1 [P1] withdrawals delayed")
                .contains("(for a person): Test the paging system")
                .contains("Runbook jeju-oncall-handoff (R-4) finished.")
                .contains("Timeline of INC-1").contains("# Incident Post-Mortem: withdrawals delayed")
                .contains("(for a person): Publish the post-mortem within 48 hours")
                .contains("Runbook jeju-postmortem (R-5) finished.");
        assertThat(text).doesNotContain("could not run");
    }
}
