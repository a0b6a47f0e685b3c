package dev.firebreak.runbook.packs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    void the_pause_goes_through_the_safe_signed_by_two_owners_with_demo_sign() {
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
                .contains("A-2 (chain.pause) has no Safe transaction for owners to sign");
        assertThat(IncidentScript.count(out, "*A-1 done*")).as("relayed and reported once").isEqualTo(1);
        assertThat(out).doesNotContain("Exception");
        assertThat(safeNonce()).as("one Safe transaction executed: the pause").isEqualTo(1);
    }

    /** The demo Safe's nonce: how many Safe transactions it executed. */
    static long safeNonce() {
        var chain = console.demo().chain();
        return Long.decode(chain.rpc().call("eth_call", java.util.Map.of("to", chain.address("pilSafe"), "data", "0xaffed0e0"), "latest")
                .asText().replaceFirst("^0x0*(?=.)", "0x"));
    }
}
