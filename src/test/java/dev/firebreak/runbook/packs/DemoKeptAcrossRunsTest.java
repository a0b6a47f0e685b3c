package dev.firebreak.runbook.packs;

import dev.firebreak.demo.DemoEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ./firebreak demo} promises about data/demo/: the store and the chain carry on together
 * from one run to the next, start over together with {@code --fresh}, and never disagree.
 */
class DemoKeptAcrossRunsTest {

    private static final String PAUSE_AND_DECLARE = """
            alice> /action pause pilOrchestrator
            bob> react white_check_mark m1
            carol> react white_check_mark m1
            alice> /demo sign A-1 as owner2
            alice> /demo sign A-1 as owner3
            alice> /incident declare P1 RPC latency high
            """;
    private static final String LIST_AND_READ = """
            alice> /incident list
            alice> /diag read pilOrchestrator isPaused
            """;

    @Test
    void incidents_approvals_and_the_chain_carry_on_into_the_next_run_until_it_starts_afresh(@TempDir Path folder) {
        String address;
        try (DemoConsole first = DemoConsole.kept(folder, false)) {
            assertThat(first.demo().chain().resumed()).isFalse();
            assertThat(first.demo().startedOverBecause()).isEmpty();
            address = first.demo().chain().address("pilOrchestrator");
            assertThat(first.session(DemoConsole.KEPT_STORE, PAUSE_AND_DECLARE))
                    .contains("pilOrchestrator.isPaused() == true: holds").contains("INC-1 [P1] RPC latency high");
        }
        assertThat(folder.resolve(DemoEnvironment.CHAIN_STATE)).isNotEmptyFile();

        try (DemoConsole second = DemoConsole.kept(folder, false)) {
            assertThat(second.demo().chain().resumed()).isTrue();
            assertThat(second.demo().chain().address("pilOrchestrator")).isEqualTo(address);
            var chain = second.demo().chain();
            long guardianNonce = Long.decode(chain.rpc().call("eth_getTransactionCount", chain.address("guardian"), "latest").asText());
            chain.letSafePause();
            assertThat(Long.decode(chain.rpc().call("eth_getTransactionCount", chain.address("guardian"), "latest").asText()))
                    .as("the kept chain's Safe holds PAUSER_ROLE already: nothing granted again").isEqualTo(guardianNonce);
            assertThat(second.session(DemoConsole.KEPT_STORE, LIST_AND_READ))
                    .contains("INC-1").contains("RPC latency high").contains("pilOrchestrator.isPaused() = true");
        }

        try (DemoConsole fresh = DemoConsole.kept(folder, true)) {
            assertThat(fresh.demo().chain().resumed()).isFalse();
            String out = fresh.session(DemoConsole.KEPT_STORE, LIST_AND_READ);
            assertThat(out).contains("(no rows)").doesNotContain("RPC latency high").contains("pilOrchestrator.isPaused() = false");
        }
    }

    @Test
    void a_store_whose_chain_was_not_kept_starts_over_with_a_fresh_chain_and_says_why(@TempDir Path folder) throws IOException {
        try (DemoConsole first = DemoConsole.kept(folder, false)) {
            first.session(DemoConsole.KEPT_STORE, PAUSE_AND_DECLARE);
        }
        Files.delete(folder.resolve(DemoEnvironment.CHAIN_STATE));

        try (DemoConsole second = DemoConsole.kept(folder, false)) {
            assertThat(second.demo().chain().resumed()).isFalse();
            assertThat(second.demo().startedOverBecause()).hasValueSatisfying(why -> assertThat(why).contains("not its chain"));
            assertThat(second.session(DemoConsole.KEPT_STORE, LIST_AND_READ))
                    .contains("(no rows)").contains("pilOrchestrator.isPaused() = false");
        }
    }

    @Test
    void a_kept_chain_that_anvil_cannot_load_is_replaced_and_the_store_starts_over_with_it(@TempDir Path folder) throws IOException {
        try (DemoConsole first = DemoConsole.kept(folder, false)) {
            first.session(DemoConsole.KEPT_STORE, PAUSE_AND_DECLARE);
        }
        Files.writeString(folder.resolve(DemoEnvironment.CHAIN_STATE), "not a chain");

        try (DemoConsole second = DemoConsole.kept(folder, false)) {
            assertThat(second.demo().startedOverBecause())
                    .hasValueSatisfying(why -> assertThat(why).contains("the kept chain could not be resumed"));
            assertThat(second.session(DemoConsole.KEPT_STORE, LIST_AND_READ)).contains("(no rows)");
        }
    }
}
