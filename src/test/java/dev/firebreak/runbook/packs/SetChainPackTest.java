package dev.firebreak.runbook.packs;

import dev.firebreak.runbook.Runbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 000 (Set Chain): every runbook of runbooks/set-chain.yaml on the demo, the chain-affecting ones through their approvals. */
class SetChainPackTest {

    static final String NEW_SEQUENCER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
    /** Runbooks whose first gated action waits for approval in the demo; the rest finish. */
    static final Set<String> GATED = Set.of("set-chain-suspicious-commitments", "set-chain-l1-instability", "set-chain-key-rotation",
            "set-chain-restore");

    static DemoConsole console;
    static Map<String, String> values;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
        String sequencer = console.demo().chain().address("sequencer");
        values = Map.of("chain", "devnet", "cluster", "mainnet", "sequencer", sequencer, "old_sequencer", sequencer,
                "new_sequencer", NEW_SEQUENCER);
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    static List<Runbook> runbooks() {
        return SetChainDispatcherPilPackTest.pack("runbooks/set-chain.yaml").runbooks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runbooks")
    void each_runbook_runs_on_the_demo_to_its_end_or_its_first_approval(Runbook runbook) {
        IncidentScript.assertWalks(console, runbook, values, GATED, "set-chain-l1-resume", "l2OutputOracle");
    }

    @Test
    void health_checks_report_the_chain_the_anchor_service_and_commitment_growth() {
        IncidentScript incident = IncidentScript.declare(console, "health", "P3", "set chain daily health");
        String out = incident.run("/runbook run set-chain-health chain=devnet");
        assertThat(out).contains("devnet chain id 31337 as expected")
                .containsPattern("devnet head \\d+, \\d+ s old")
                .contains("devnet sync: unsafe")
                .contains("anchor /health: HTTP 200").contains("anchor /ready: HTTP 200")
                .contains("anchor metrics: 2 series, all within thresholds")
                .contains("setRegistry.totalCommitments() = 3")
                .contains("3 Committed event(s) on setRegistry");
        IncidentScript.assertFinished(out, runbooks().stream().filter(r -> r.id().equals("set-chain-health")).findFirst().orElseThrow());
    }

    @Test
    void preflight_flags_the_underfunded_batcher_and_shows_the_owner_to_compare() {
        IncidentScript incident = IncidentScript.declare(console, "preflight", "P3", "preflight before upgrade");
        String out = incident.run("/runbook run set-chain-preflight chain=devnet");
        assertThat(out).containsPattern("\\[warn\\] Step 5/\\d+ `/diag balance all`").contains("batcher 0.5 ETH - below warning 1 ETH")
                .contains("setRegistry.owner() = " + console.demo().chain().address("guardian").toLowerCase())
                .contains("(for a person): Verify the JWT secret");
    }

    @Test
    void suspicious_commitments_deauthorise_the_sequencer_and_enable_strict_mode_after_approvals() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            String sequencer = values.get("sequencer");
            IncidentScript incident = IncidentScript.declare(console, "suspicious", "P0", "suspicious commitments");
            String first = incident.run("/runbook run set-chain-suspicious-commitments sequencer=" + sequencer);
            assertThat(first).contains("3 Committed event(s) on setRegistry")
                    .contains("Approval needed A-1: chain.deauthorizeSequencer").contains("deauthorizeSequencer(address)")
                    .contains("waits for approval A-1");

            String second = incident.approve(first, "A-1");
            assertThat(second).contains("A-1 approved by bob, carol").contains("== false: holds")
                    .contains("setRegistry.strictMode() = false")
                    .contains("Approval needed A-2: chain.call").contains("setStrictMode(bool)");

            String third = incident.approve(second, "A-2");
            assertThat(third).contains("A-2 approved by bob, carol").contains("setRegistry.strictMode() = true")
                    .contains("authorized=false")
                    .contains("(for a person): Investigate the sequencer API output")
                    .contains("[INVESTIGATING] We are investigating reports of suspicious commitments")
                    .contains("Runbook set-chain-suspicious-commitments (R-1) finished.");

            String check = incident.run("/diag read setRegistry authorizedSequencers " + sequencer);
            assertThat(check).contains("= false");
        });
    }

    @Test
    void l1_instability_pauses_output_proposals_and_the_resume_runbook_unpauses_them() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            var opNode = console.demo().chain().opNode();
            IncidentScript incident = IncidentScript.declare(console, "l1", "P1", "L1 reorg on settlement");
            try {
                console.demo().chain().rpc().call("anvil_mine", "0x3e8");
                opNode.setLags(900, 900);
                String first = incident.run("/runbook run set-chain-l1-instability chain=devnet");
                assertThat(first).contains("[warn] Step 1/6 `/diag sync devnet`").contains("safe head 900 blocks behind (limit 600)")
                        .contains("Approval needed A-1: chain.pause");
                String second = incident.approve(first, "A-1");
                assertThat(second).contains("l2OutputOracle.paused() == true: holds").contains("OutputProposed event(s)")
                        .contains("l2OutputOracle.latestOutputIndex() = 1").contains("Runbook set-chain-l1-instability (R-1) finished.");
            } finally {
                opNode.setLags(2, 4);
            }
            String resume = incident.run("/runbook run set-chain-l1-resume chain=devnet");
            assertThat(resume).contains("[ok] Step 1/5 `/diag sync devnet`").contains("Approval needed A-2: chain.unpause");
            String resumed = incident.approve(resume, "A-2");
            assertThat(resumed).contains("l2OutputOracle.paused() == false: holds").contains("Runbook set-chain-l1-resume (R-2) finished.");
        });
    }

    @Test
    void key_rotation_authorises_the_new_key_then_decommissions_the_old_one() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            String old = values.get("sequencer");
            IncidentScript incident = IncidentScript.declare(console, "rotation", "P2", "sequencer key rotation");
            String first = incident.run("/runbook run set-chain-key-rotation old_sequencer=" + old + " new_sequencer=" + NEW_SEQUENCER);
            assertThat(first).contains("(for a person): Generate the new sequencer key in the KMS/HSM")
                    .contains("setRegistry.authorizedSequencers(address) " + NEW_SEQUENCER + " = false")
                    .contains("Approval needed A-1: chain.call").contains("setSequencerAuthorization(address,bool)");
            String second = incident.approve(first, "A-1");
            assertThat(second).contains("setRegistry.authorizedSequencers(address) " + NEW_SEQUENCER + " = true")
                    .contains("anchor /ready: HTTP 200")
                    .contains("Approval needed A-2: chain.deauthorizeSequencer");
            String third = incident.approve(second, "A-2");
            assertThat(third).contains("== false: holds").contains("Runbook set-chain-key-rotation (R-1) finished.");
            assertThat(incident.run("/diag read setRegistry authorizedSequencers " + old)).contains("= false");
            assertThat(incident.run("/diag read setRegistry authorizedSequencers " + NEW_SEQUENCER)).contains("= true");
        });
    }
}
