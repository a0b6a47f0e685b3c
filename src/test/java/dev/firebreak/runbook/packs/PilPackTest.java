package dev.firebreak.runbook.packs;

import dev.firebreak.runbook.Runbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 003 (PIL): every runbook of runbooks/pil.yaml on the demo, the orchestrator's pause and relayer roles through approvals. */
class PilPackTest {

    /** anvil development accounts standing in for two relayers. */
    static final String OLD_RELAYER = "0x976EA74026E726554dB657fA54763abd0C3a0aa9";
    static final String NEW_RELAYER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";
    /** Runbooks whose walk stops at their first approval; the recovery's first is the timelock schedule of the unpause. */
    static final Set<String> GATED = Set.of("pil-emergency-pause", "pil-relayer-rotation", "pil-recover-from-pause");

    static DemoConsole console;
    static Map<String, String> values;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
        var chain = console.demo().chain();
        // the relayer in service: granted RELAYER_ROLE the way the bot grants roles
        String grant = console.session("setup", "alice> /action grant-role pilOrchestrator RELAYER_ROLE " + OLD_RELAYER + "\n");
        String ref = IncidentScript.ref(grant, "A-1");
        assertThat(console.session("setup", "bob> react white_check_mark " + ref + "\ncarol> react white_check_mark " + ref + "\n"))
                .contains("== true: holds");
        String tx = chain.rpc().call("eth_getBlockByNumber", "0x1", false).path("transactions").get(0).asText();
        values = new HashMap<>(Map.of("blocks", "50400", "admin", chain.address("guardian"), "old_relayer", OLD_RELAYER,
                "new_relayer", NEW_RELAYER, "last_good_block", "10", "backup_id", "2025-08-01T00-00Z", "role", "PAUSER_ROLE",
                "account", chain.address("guardian"), "calldata", "0x8456cb59", "tx", tx));
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    static List<Runbook> runbooks() {
        return SetChainDispatcherPilPackTest.pack("runbooks/pil.yaml").runbooks();
    }

    static Runbook runbook(String id) {
        return runbooks().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runbooks")
    void each_runbook_runs_on_the_demo_to_its_end_or_its_first_approval(Runbook runbook) {
        IncidentScript.assertWalks(console, runbook, values, GATED, null, null);
    }

    @Test
    void monitoring_compares_each_metric_with_the_seed_thresholds() {
        IncidentScript incident = IncidentScript.declare(console, "metrics", "P2", "pil failure rate up");
        assertThat(incident.run("/diag balance pilOrchestrator")).contains("[ok] `/diag balance pilOrchestrator`: pilOrchestrator 2 ETH");
        var rpc = console.demo().chain().rpc();
        String[] transcript = new String[1];
        IncidentScript.onChainSnapshot(rpc, () -> {
            // the orchestrator drained below the critical line of 0.1 ETH
            rpc.call("anvil_setBalance", console.demo().chain().address("pilOrchestrator"), "0xb1a2bc2ec50000");
            transcript[0] = incident.run("/runbook run pil-monitoring");
        });
        String out = transcript[0];
        assertThat(out).contains("[info] Step 1/5: Dashboards: Grafana https://monitoring.pil.network/grafana")
                .contains("[warn] Step 2/5 `/diag metrics pil`: pil metrics: 6 series, worst warning")
                .containsPattern("pil_failed_transactions_ratio\\s+0\\.02\\s+warn >0\\.01, crit >0\\.05\\s+warning")
                .containsPattern("pil_relayer_response_seconds\\{relayer=\"relayer-1\"}\\s+0\\.8\\s+warn >5, crit >30\\s+ok")
                .contains("[CRIT] Step 3/5 `/diag balance pilOrchestrator`: pilOrchestrator 0.05 ETH - below critical 0.1 ETH")
                .contains("[ok] Step 4/5 `/diag health pil`: pil /relayers/health: HTTP 200");
    }

    @Test
    void incident_checklist_assesses_scope_and_posts_the_status_page_update() {
        IncidentScript incident = IncidentScript.declare(console, "checklist", "P1", "PIL stuck transactions");
        String out = incident.run("/runbook run pil-incident-checklist");
        assertThat(out).contains("(for a person): Acknowledge the alert in PagerDuty.")
                .contains("pilOrchestrator.isPaused() = false")
                .contains("[INVESTIGATING] We are investigating reports of PIL stuck transactions.")
                .contains("(for a person): Post-incident review within 48 hours");
        String resolved = incident.run("/incident resolve relayer nonce gap after restart", "/runbook run pil-resolution");
        assertThat(resolved).contains("[RESOLVED] The issue affecting PIL stuck transactions has been resolved.")
                .contains("Root cause: relayer nonce gap after restart");
    }

    @Test
    void emergency_pause_and_recovery_from_pause_go_through_two_approvals_each() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            IncidentScript incident = IncidentScript.declare(console, "pause", "P0", "PIL active exploit");
            String first = incident.run("/runbook run pil-emergency-pause");
            assertThat(first).contains("pilOrchestrator.isPaused() = false").contains("Approval needed A-1: chain.pause")
                    .contains("through the Safe pilSafe").contains("checks pilOrchestrator.isPaused() == true");
            String second = incident.approveAndSign(first, "A-1");
            assertThat(second).contains("2 of 3 owners signed").contains("pilOrchestrator.isPaused() == true: holds").contains("1 Paused event(s) on pilOrchestrator")
                    .contains("(for a person): Where PAUSER_ROLE is held only by the PIL Safe")
                    .contains("[INVESTIGATING] We are investigating reports of PIL active exploit.")
                    .contains("Runbook pil-emergency-pause (R-1) finished.");
            String recover = incident.run("/runbook run pil-recover-from-pause");
            assertThat(recover).contains("(for a person): 1. Verify the threat is mitigated").contains("pilOrchestrator.isPaused() = true")
                    .contains("Approval needed A-2: chain.schedule").contains("through the Safe pilSafe");
            String scheduled = incident.approveAndSign(recover, "A-2");
            assertThat(scheduled).contains("*A-2 done*").contains("pending, ETA ").contains("waits for a person: Wait for the ETA");
            String early = incident.run("/runbook continue R-2");
            assertThat(early).as("executing before the ETA is refused; the run is held at that step, nothing is sent")
                    .contains("is not ready: its ETA is").contains("Runbook pil-recover-from-pause (R-2) is held at step ")
                    .doesNotContain("Approval needed A-3");
            var rpc = console.demo().chain().rpc();
            rpc.call("evm_increaseTime", 121);                   // the demo timelock's delay is 2 minutes
            rpc.call("evm_mine");
            String ready = incident.run("/runbook continue R-2");
            assertThat(ready).contains("Approval needed A-3: chain.executeScheduled");
            String recovered = incident.approveAndSign(ready, "A-3");
            assertThat(recovered).contains("pilOrchestrator.isPaused() == false: holds").contains("Runbook pil-recover-from-pause (R-2) finished.");
        });
    }

    @Test
    void relayer_rotation_revokes_the_old_relayer_and_grants_the_new_one() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            IncidentScript incident = IncidentScript.declare(console, "relayer", "P1", "relayer compromised");
            String first = incident.run("/runbook run pil-relayer-rotation old_relayer=" + OLD_RELAYER + " new_relayer=" + NEW_RELAYER);
            assertThat(first).contains("pil /relayers/health: HTTP 200").contains("Approval needed A-1: chain.revokeRole");
            String second = incident.approve(first, "A-1");
            assertThat(second).contains("== false: holds").contains("(for a person): 2. Verify pending transactions of the old relayer: `cast nonce "
                    + OLD_RELAYER).contains("Approval needed A-2: chain.grantRole");
            String third = incident.approve(second, "A-2");
            assertThat(third).contains("== true: holds").contains("Runbook pil-relayer-rotation (R-1) finished.");
            assertThat(incident.run("/diag read pilOrchestrator hasRole RELAYER_ROLE " + OLD_RELAYER)).contains("= false");
            assertThat(incident.run("/diag read pilOrchestrator hasRole RELAYER_ROLE " + NEW_RELAYER)).contains("= true");
        });
    }

    @Test
    void useful_commands_answer_like_their_cast_counterparts() {
        IncidentScript incident = IncidentScript.declare(console, "commands", "P3", "pil useful commands");
        String out = incident.run(IncidentScript.runLine(runbook("pil-useful-commands"), values));
        assertThat(out).contains("pilOrchestrator.isPaused() = false")
                .contains("PAUSER_ROLE " + values.get("account") + " = true")
                .contains("0x8456cb59 = pause()")
                .containsPattern("pilOrchestrator.pause\\(\\) estimated at \\d+ gas")
                .contains(values.get("tx") + " succeeded");
        IncidentScript.assertFinished(out, runbook("pil-useful-commands"));
    }
}
