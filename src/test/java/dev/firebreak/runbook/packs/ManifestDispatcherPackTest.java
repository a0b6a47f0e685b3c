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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 001 (ManifestDispatcher): every runbook of runbooks/manifest-dispatcher.yaml on the demo, governance calls through approvals. */
class ManifestDispatcherPackTest {

    /** anvil's tenth development account: holds no role on the dispatcher. */
    static final String OUTSIDER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720";
    static final String NEW_ROOT = "0x" + "3c".repeat(32);
    static final Set<String> GATED = Set.of("md-upgrade-workflow", "md-codehash-mismatch", "md-governance-transfer", "md-emergency-pause",
            "md-rollback", "md-network-tuning", "md-batch-size");

    static DemoConsole console;
    static Map<String, String> values;
    static String firstRoot;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
        var chain = console.demo().chain();
        // an outsider calls pause() and is refused: the AccessControl error of the unauthorized_access alert
        String failed = chain.rpc().call("eth_sendTransaction", Map.of("from", OUTSIDER, "to", chain.address("manifestDispatcher"),
                "data", "0x8456cb59", "gas", "0x30000")).asText();
        String read = console.session("setup", "alice> /diag read manifestDispatcher activeRoot\n");
        Matcher root = Pattern.compile("activeRoot\\(\\) = (0x[0-9a-f]{64})").matcher(read);
        assertThat(root.find()).as(read).isTrue();
        firstRoot = root.group(1);
        values = new HashMap<>(Map.of("root", NEW_ROOT, "tx", failed, "caller", OUTSIDER, "role", "EMERGENCY_ROLE",
                "old_governance", chain.address("guardian"), "new_governance", chain.address("proposer"),
                "calldata", "0x8456cb59", "last_good_root", firstRoot, "eta_grace", "120", "max_batch_size", "80"));
        values.putAll(Map.of("dispatcher", "manifestDispatcher", "governance", chain.address("guardian")));
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    static List<Runbook> runbooks() {
        return SetChainDispatcherPilPackTest.pack("runbooks/manifest-dispatcher.yaml").runbooks();
    }

    static Runbook runbook(String id) {
        return runbooks().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runbooks")
    void each_runbook_runs_on_the_demo_to_its_end_or_its_first_approval(Runbook runbook) {
        IncidentScript.assertWalks(console, runbook, values, GATED, "md-unpause", "manifestDispatcher");
    }

    @Test
    void upgrade_workflow_commits_and_activates_a_root_after_approvals() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            IncidentScript incident = IncidentScript.declare(console, "upgrade", "P3", "manifest upgrade epoch two");
            String first = incident.run("/runbook run md-upgrade-workflow root=" + NEW_ROOT);
            assertThat(first).contains("manifestDispatcher.activeRoot() = " + firstRoot)
                    .containsPattern("manifestDispatcher.commitRoot\\(bytes32\\) estimated at \\d+ gas")
                    .contains("Approval needed A-1: chain.call").contains("commitRoot(bytes32)").contains(NEW_ROOT);
            String second = incident.approve(first, "A-1");
            assertThat(second).contains("A-1 approved by bob, carol").contains("root=" + NEW_ROOT + " epoch=2")
                    .contains("(for a person): 2. Apply phase")
                    .containsPattern("manifestDispatcher.activateCommittedRoot\\(\\) estimated at \\d+ gas")
                    .contains("Approval needed A-2: chain.call").contains("activateCommittedRoot()");
            String third = incident.approve(second, "A-2");
            assertThat(third).contains("manifestDispatcher.activeRoot() = " + NEW_ROOT)
                    .contains("2 Activated event(s)").contains("Runbook md-upgrade-workflow (R-1) finished.");
        });
    }

    @Test
    void codehash_mismatch_pauses_the_dispatcher_and_the_unpause_runbook_resumes_it() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            IncidentScript incident = IncidentScript.declare(console, "codehash", "P0", "codehash mismatch on dispatcher");
            String first = incident.run("/runbook run md-codehash-mismatch");
            assertThat(first).contains("1 CodehashMismatch event(s)").contains("selector=0x8456cb59")
                    .contains("Approval needed A-1: chain.pause");
            String second = incident.approve(first, "A-1");
            assertThat(second).contains("manifestDispatcher.paused() == true: holds").contains("paused=true")
                    .contains("(for a person): Notify the security team now").contains("Runbook md-codehash-mismatch (R-1) finished.");
            String resume = incident.run("/runbook run md-unpause");
            assertThat(resume).contains("(for a person): Confirm with the security team").contains("Approval needed A-2: chain.unpause");
            String resumed = incident.approve(resume, "A-2");
            assertThat(resumed).contains("manifestDispatcher.paused() == false: holds").contains("Runbook md-unpause (R-2) finished.");
        });
    }

    @Test
    void governance_transfer_moves_the_emergency_role_and_the_old_signer_can_no_longer_pause() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            String old = values.get("old_governance");
            String fresh = values.get("new_governance");
            IncidentScript incident = IncidentScript.declare(console, "governance", "P3", "governance transfer");
            String first = incident.run("/runbook run md-governance-transfer role=EMERGENCY_ROLE old_governance=" + old
                    + " new_governance=" + fresh);
            assertThat(first).contains("hasRole(bytes32,address) EMERGENCY_ROLE " + old + " = true")
                    .contains("hasRole(bytes32,address) EMERGENCY_ROLE " + fresh + " = false")
                    .contains("Approval needed A-1: chain.grantRole");
            String second = incident.approve(first, "A-1");
            assertThat(second).contains("== true: holds").contains("Approval needed A-2: chain.revokeRole");
            String third = incident.approve(second, "A-2");
            assertThat(third).contains("== false: holds")
                    .contains("hasRole(bytes32,address) EMERGENCY_ROLE " + old + " = false")
                    .contains("hasRole(bytes32,address) EMERGENCY_ROLE " + fresh + " = true")
                    .contains("Runbook md-governance-transfer (R-1) finished.");
            // post-transfer validation: the old signer (the bot's guardian key here) is refused
            assertThat(incident.run("/diag estimate manifestDispatcher pause")).contains("would revert").contains("AccessControl");
        });
    }

    @Test
    void network_tuning_refuses_an_out_of_range_grace_and_applies_a_valid_one() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            IncidentScript incident = IncidentScript.declare(console, "tuning", "P3", "eta grace for L2");
            String refused = incident.run("/runbook run md-network-tuning eta_grace=500");
            assertThat(refused).contains("manifestDispatcher.etaGrace() = 60").contains("could not run").contains("Invalid grace period")
                    .doesNotContain("Approval needed");
            String first = incident.run("/runbook run md-network-tuning eta_grace=30");
            String second = incident.approve(first, "A-1");
            assertThat(second).contains("manifestDispatcher.etaGrace() = 30").contains("etaGrace=30")
                    .contains("Runbook md-network-tuning (R-2) finished.");
            String batch = incident.run("/runbook run md-batch-size max_batch_size=80");
            String applied = incident.approve(batch, "A-2");
            assertThat(applied).contains("manifestDispatcher.maxBatchSize() = 80").contains("maxBatchSize=80")
                    .contains("Runbook md-batch-size (R-3) finished.");
        });
    }

    @Test
    void rollback_recommits_and_activates_the_last_known_good_root() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), () -> {
            IncidentScript incident = IncidentScript.declare(console, "rollback", "P1", "bad manifest rollback");
            String first = incident.run("/runbook run md-rollback last_good_root=" + firstRoot);
            assertThat(first).contains("root=" + firstRoot + " epoch=1").contains("manifestDispatcher.paused() = false")
                    .contains("Approval needed A-1: chain.call");
            String second = incident.approve(first, "A-1");
            assertThat(second).contains("root=" + firstRoot + " epoch=2").contains("Approval needed A-2: chain.call");
            String third = incident.approve(second, "A-2");
            assertThat(third).contains("manifestDispatcher.activeRoot() = " + firstRoot).contains("Runbook md-rollback (R-1) finished.");
            assertThat(incident.run("/diag read manifestDispatcher epoch")).contains("manifestDispatcher.epoch() = 2");
        });
    }

    @Test
    void unauthorized_access_shows_the_refused_transaction_and_that_the_caller_holds_no_role() {
        IncidentScript incident = IncidentScript.declare(console, "unauthorized", "P1", "AccessControl error on dispatcher");
        String out = incident.run(IncidentScript.runLine(runbook("md-unauthorized-access"), values));
        assertThat(out).contains(values.get("tx") + " REVERTED")
                .contains("GOVERNANCE_ROLE " + OUTSIDER + " = false").contains("EMERGENCY_ROLE " + OUTSIDER + " = false")
                .contains("3 RoleGranted event(s)");
        IncidentScript.assertFinished(out, runbook("md-unauthorized-access"));
    }
}
