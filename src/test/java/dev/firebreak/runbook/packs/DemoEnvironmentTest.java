package dev.firebreak.runbook.packs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code ./firebreak demo} promises: each kind of peer answers through the real configuration. */
class DemoEnvironmentTest {

    static DemoConsole console;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    @Test
    void chain_cluster_sequencer_api_and_database_all_answer_in_the_demo() {
        String out = console.session("peers", """
                alice> /diag block
                alice> /diag pods mainnet
                alice> /diag health sequencer
                alice> /diag seq-gaps sequencer acme main
                alice> /diag read manifestDispatcher paused
                """);
        assertThat(out).contains("devnet head").contains("op-node").contains("CrashLoopBackOff")
                .contains("sequencer /health: HTTP 200")
                .containsPattern("12\\s+14\\s+1")
                .contains("manifestDispatcher.paused() = false");
        assertThat(out).doesNotContain("Exception").doesNotContain("ERROR");
    }

    @Test
    void a_gated_chain_action_runs_after_two_approvals_and_two_safe_owners_and_is_verified_on_the_devnet() {
        String out = console.session("pause", """
                alice> /action pause pilOrchestrator
                bob> react white_check_mark m1
                carol> react white_check_mark m1
                alice> /demo sign A-1 as owner1
                alice> /demo sign A-1 as owner3
                alice> /diag read pilOrchestrator isPaused
                """);
        assertThat(out).contains("Approval needed A-1").contains("through the Safe pilSafe").contains("A-1 approved by bob, carol")
                .contains("threshold 2 met")
                .contains("pilOrchestrator.isPaused() == true: holds").contains("pilOrchestrator.isPaused() = true");
    }

    @Test
    void bot_clusters_yaml_decides_which_deployment_actions_need_approval() {
        String out = console.session("clusters", """
                alice> /action stop testnet op-batcher
                alice> /action stop mainnet op-proposer
                """);
        // testnet: approvals {scaleToZero: none}; mainnet: scaleToZero: two-approvers
        assertThat(out).contains("[ok] *k8s.scale by alice");
        assertThat(out).contains("Approval needed A-1: k8s.scale").contains("Scale mainnet/op-stack deployment/op-proposer from 1 to 0 replicas");
    }

    @Test
    void the_kickoff_suggests_every_runbook_that_fits_the_title_equally_well_in_a_stable_order() {
        String out = console.session("suggest", """
                alice> /incident declare P0 L2 blocks stopped
                """);
        assertThat(out).contains("Suggested runbooks: `/runbook show jeju-network-down` `/runbook show set-chain-blocks-stopped`");
    }

    @Test
    void a_runbook_is_held_at_an_action_that_cannot_run_instead_of_reporting_it_done_and_continue_runs_that_step_again() {
        String out = console.session("refused", """
                alice #ops-alerts> /runbook run jeju-sequencer-recovery cluster=testnet l2=devnet
                alice #ops-alerts> /runbook continue R-1
                alice #ops-alerts> /runbook abandon R-1
                """);
        assertThat(out).contains("`/action stop testnet op-node` could not run: Actions run only in the incidents channel")
                .contains("Runbook jeju-sequencer-recovery (R-1) is held at step 1: Step 1/7 `/action stop testnet op-node` could not run: ")
                .contains("Once that is fixed, `/runbook continue R-1` runs it again, or `/runbook abandon R-1` ends it.")
                .contains("alice continued R-1 at step 1 (it could not run before, so it runs again)").contains("alice abandoned runbook jeju-sequencer-recovery (R-1)")
                .doesNotContain("Runbook stopped.");
        assertThat(out.split(java.util.regex.Pattern.quote("(thread of m1)\n[waiting] Runbook jeju-sequencer-recovery (R-1) is held at step 1: Step 1/7 `/action stop testnet op-node` could not run"), -1))
                .as("run again on continue, refused again: said twice in the run's thread").hasSize(3);
    }

    @Test
    void chain_diagnostics_and_a_verified_pause_through_the_console_never_show_the_signing_key() {
        String out = console.session("chain", """
                alice> /diag chain
                alice> /diag balance batcher
                alice> /action pause l2OutputOracle
                bob> react white_check_mark m3
                carol> react white_check_mark m3
                alice> /diag read l2OutputOracle paused
                alice> /action pause nosuch
                """);
        var chain = console.demo().chain();
        assertThat(out).contains("latestOutputIndex").contains("below warning 1 ETH");
        assertThat(out).contains("pause()").contains(chain.address("l2OutputOracle")).contains("31337");
        assertThat(out).contains("l2OutputOracle.paused() == true: holds").contains("l2OutputOracle.paused() = true");
        assertThat(out).contains("unknown contract 'nosuch'");
        assertThat(out).doesNotContain(chain.env().get("FIREBREAK_GUARDIAN_KEY").substring(2)).doesNotContain("Exception");
    }
}
