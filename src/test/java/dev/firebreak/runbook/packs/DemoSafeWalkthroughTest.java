package dev.firebreak.runbook.packs;

import dev.firebreak.app.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's walkthrough of the demo Safe and timelock, line by line on the demo console. */
class DemoSafeWalkthroughTest {

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
    void the_readme_walkthrough_pre_signed_pause_timelock_unpause_and_pause_through_the_safe() {
        var rpc = console.demo().chain().rpc();
        IncidentScript.onChainSnapshot(rpc, () -> {
            MutableClock clock = new MutableClock(Instant.now());
            // 1. the pre-signed pause the demo seeded, relayed after one approval
            String presigned = console.session("walk", clock, false, """
                    alice> /diag read pilOrchestrator hasRole PAUSER_ROLE pilSafe
                    alice> /diag presigned
                    alice> /action presigned run demo-pil-pause
                    """);
            assertThat(presigned).contains("pilOrchestrator.hasRole(bytes32,address) PAUSER_ROLE pilSafe = true")
                    .contains("1 pre-signed pause(s), 1 ready").contains("demo-pil-pause")
                    .contains("Approval needed A-1: chain.presigned.run");
            assertThat(console.audited("walk")).as("the seeded pause is on the audit log, as an added one is")
                    .anySatisfy(entry -> assertThat(entry).startsWith("firebreak action chain.presigned.add")
                            .contains("pre-signed pause demo-pil-pause stored"));
            String ran = console.session("walk", clock, false, "bob> react white_check_mark " + IncidentScript.ref(presigned, "A-1") + "\n"
                    + "alice> /diag read pilOrchestrator isPaused\n");
            assertThat(ran).contains("*A-1 done*").contains("pilOrchestrator.isPaused() == true: holds")
                    .contains("pilOrchestrator.isPaused() = true");

            // 2. the unpause through the timelock: scheduled through the Safe, refused before its ETA
            String schedule = console.session("walk", clock, false, "alice> /action schedule unpause pilOrchestrator\n");
            assertThat(schedule).contains("Approval needed A-2: chain.schedule").contains("through the Safe pilSafe")
                    .contains("Operation id: 0x").contains("Delay: 2m (120 s)");
            String scheduled = console.session("walk", clock, false, approveAndSign(schedule, "A-2", "owner1", "owner3")
                    + "alice> /action execute-scheduled unpause pilOrchestrator\n");
            assertThat(scheduled).contains("owner3 signed A-2").contains("threshold 2 met").contains("*A-2 done*")
                    .contains("pending, ETA ").contains("is not ready: its ETA is");

            // 3. the delay passes (the chain's time and the engine's clock, moved): one reminder, then executed through the Safe
            rpc.call("evm_increaseTime", 121);
            rpc.call("evm_mine");
            clock.advance(Duration.ofSeconds(121));
            String ready = console.session("walk", clock, true, "alice> /action execute-scheduled unpause pilOrchestrator\n");
            assertThat(ready).contains("Timelock operation ready: unpause pilOrchestrator on pilTimelock")
                    .contains("Execute it: /action execute-scheduled unpause pilOrchestrator")
                    .contains("Approval needed A-3: chain.executeScheduled");
            String executed = console.session("walk", clock, false, approveAndSign(ready, "A-3", "owner2", "owner3")
                    + "alice> /diag read pilOrchestrator isPaused\n");
            assertThat(executed).contains("*A-3 done*").contains("pilOrchestrator.isPaused() == false: holds")
                    .contains("pilOrchestrator.isPaused() = false");

            // 4. the pause through the Safe, signed with /demo sign; the seeded pre-signed pause is stale now
            String pause = console.session("walk", clock, false, "alice> /action pause pilOrchestrator\n");
            String paused = console.session("walk", clock, false, approveAndSign(pause, "A-4", "owner1", "owner2")
                    + "alice> /diag read pilOrchestrator isPaused\nalice> /diag presigned\n");
            assertThat(paused).contains("A-4 1 of 3 owners signed").contains("2 of 3 owners, threshold 2 met")
                    .contains("*A-4 done*").contains("pilOrchestrator.isPaused() = true")
                    .contains("STALE (the Safe's nonce is now 4)");
            String all = presigned + ran + schedule + scheduled + ready + executed + pause + paused;
            assertThat(IncidentScript.count(all, "Timelock operation ready")).as("one reminder").isEqualTo(1);
            assertThat(all).doesNotContain("Exception");
        });
    }

    /** The approvals of bob and carol on the request, then two owners' /demo sign, as console lines. */
    private static String approveAndSign(String transcript, String request, String firstOwner, String secondOwner) {
        String ref = IncidentScript.ref(transcript, request);
        return "bob> react white_check_mark " + ref + "\ncarol> react white_check_mark " + ref + "\n"
                + "alice> /demo sign " + request + " as " + firstOwner + "\nalice> /demo sign " + request + " as " + secondOwner + "\n";
    }

    @Test
    void the_pause_goes_through_the_safe_signed_by_two_owners_with_demo_sign() {
        IncidentScript.onChainSnapshot(console.demo().chain().rpc(), this::pauseThroughTheSafe);
    }

    private void pauseThroughTheSafe() {
        String out = console.session("pause", """
                alice> /action pause pilOrchestrator
                alice> /demo sign A-1 as owner1
                bob> react white_check_mark m1
                carol> react white_check_mark m1
                alice> /demo sign A-9 as owner1
                alice> /demo sign A-1 as owner9
                alice> /demo sign A-1 as owner1
                alice> /demo sign A-1 as owner1
                alice> /demo sign A-1 as owner2
                alice> /demo sign A-1 as owner3
                alice> /action pause l2OutputOracle
                alice> /demo sign A-2 as owner3
                alice> /diag read pilOrchestrator isPaused
                """);
        var chain = console.demo().chain();
        assertThat(out).contains("Approval needed A-1: chain.pause").contains("through the Safe pilSafe")
                .contains("A-1 is not approved in chat yet").contains("There is no approval request A-9")
                .contains("OWNER must be one of owner1, owner2, owner3")
                .contains("A-1 0 of 3 owners signed, 2 needed")
                .contains("owner1 signed A-1").contains("1 of 3 owners, 1 more needed: /demo sign A-1 as owner2")
                .contains("A-1 1 of 3 owners signed (" + chain.address("owner1").toLowerCase() + ")")
                .contains("owner1 already signed A-1").contains("Nothing was sent.")
                .contains("owner2 signed A-1").contains("2 of 3 owners, threshold 2 met; Firebreak relayed execTransaction")
                .contains("threshold 2 met, executing")
                .contains("Post-condition: pilOrchestrator.isPaused() == true: holds (was false, now true)")
                .contains("pilOrchestrator.isPaused() = true")
                .contains("A-2 (chain.pause) has no Safe transaction for owners to sign")
                .contains("A-1 needs no more signatures: its Safe transaction was relayed already");
        assertThat(IncidentScript.count(out, "*A-1 done*")).as("relayed and reported once").isEqualTo(1);
        assertThat(out).doesNotContain("Exception");
        assertThat(safeNonce()).as("one Safe transaction executed: the pause").isEqualTo(1);
        String safeTxHash = out.replaceAll("(?s).*safeTxHash: (0x[0-9a-f]{64}).*", "$1");
        assertThat(approvedOnChain("owner1", safeTxHash)).isTrue();
        assertThat(approvedOnChain("owner3", safeTxHash)).as("the refused lines sent nothing").isFalse();
    }

    /** Whether the demo owner called approveHash for the hash on the demo Safe. */
    static boolean approvedOnChain(String owner, String safeTxHash) {
        var chain = console.demo().chain();
        String data = "0x7d832974" + "0".repeat(24) + chain.address(owner).substring(2).toLowerCase() + safeTxHash.substring(2);
        String answer = chain.rpc().call("eth_call", java.util.Map.of("to", chain.address("pilSafe"), "data", data), "latest").asText();
        return !answer.replaceFirst("^0x", "").replace("0", "").isEmpty();
    }

    /** The demo Safe's nonce: how many Safe transactions it executed. */
    static long safeNonce() {
        var chain = console.demo().chain();
        return Long.decode(chain.rpc().call("eth_call", java.util.Map.of("to", chain.address("pilSafe"), "data", "0xaffed0e0"), "latest")
                .asText().replaceFirst("^0x0*(?=.)", "0x"));
    }
}
