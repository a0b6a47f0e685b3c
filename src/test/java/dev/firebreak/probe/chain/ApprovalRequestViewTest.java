package dev.firebreak.probe.chain;

import dev.firebreak.runbook.packs.DemoConsole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What approvers see on a chain action's request, on the console against the demo's anvil: the
 * arguments as they will be encoded (decoded back from the calldata), the calldata itself and the
 * canonical form the hash is taken of; numbers only in the digits 0-9; role names only as the
 * contract's configured roles, shown with their bytes32.
 */
class ApprovalRequestViewTest {

    static DemoConsole console;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    private static String channel() {
        return DemoConsole.incidentChannel("dispatcher-tuning");
    }

    private static String inIncident(String store, String line) {
        return console.session(store, "alice> /incident declare P2 Dispatcher tuning\nalice #" + channel() + "> " + line + "\n");
    }

    @Test
    void a_number_in_digits_of_another_script_is_refused_and_nothing_is_requested() {
        String out = inIncident("bengali", "/action contract-call manifestDispatcher setEtaGrace ৪০");

        assertThat(out).contains("[private to alice in #" + channel() + "]")
                .contains("argument 1 '৪০' uses digits other than 0-9; write the uint32 with the digits 0-9")
                .doesNotContain("Approval needed");
    }

    @Test
    void an_amount_in_digits_of_another_script_is_refused() {
        String out = inIncident("bengali-amount", "/action top-up batcher ১");

        assertThat(out).contains("amount '১' is not a positive ETH amount written with the digits 0-9")
                .contains("digits of another script").doesNotContain("Approval needed");
    }

    @Test
    void the_request_shows_the_encoded_arguments_the_calldata_and_what_its_hash_is_taken_of() throws Exception {
        String out = inIncident("encoded", "/action contract-call manifestDispatcher setEtaGrace 40");

        assertThat(out).contains("Approval needed A-1").contains("Function: setEtaGrace(uint32)").contains("Arguments: uint32 40")
                .contains("Calldata: 0x" + selector("setEtaGrace(uint32)") + "0".repeat(62) + "28");
        Matcher note = Pattern.compile("action hash ([0-9a-f]{64}) \\(SHA-256 of (\\{.*})\\)").matcher(out);
        assertThat(note.find()).as(out).isTrue();
        assertThat(sha256(note.group(2))).as("an approver can recompute the hash from what is shown").isEqualTo(note.group(1));
        assertThat(note.group(2)).contains("\"calldata\":\"0x" + selector("setEtaGrace(uint32)"));
    }

    @Test
    void a_role_name_is_resolved_against_the_contracts_roles_and_shown_with_its_bytes32() throws Exception {
        String unknown = inIncident("unknown-role", "/action grant-role manifestDispatcher FOO 0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        assertThat(unknown).contains("unknown role 'FOO' for contract 'manifestDispatcher'; configured roles: DEFAULT_ADMIN_ROLE, "
                + "EMERGENCY_ROLE, GOVERNANCE_ROLE").doesNotContain("Approval needed");

        String known = inIncident("known-role", "/action grant-role manifestDispatcher GOVERNANCE_ROLE proposer");
        String governance = HexFormat.of().formatHex(org.web3j.crypto.Hash.sha3("GOVERNANCE_ROLE".getBytes(StandardCharsets.UTF_8)));
        assertThat(known).contains("Approval needed A-1")
                .contains("Arguments: bytes32 0x" + governance + " (GOVERNANCE_ROLE), address 0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

        String read = console.session("read-role", "alice> /diag read manifestDispatcher hasRole FOO proposer\n");
        assertThat(read).contains("unknown role 'FOO' for contract 'manifestDispatcher'");
    }

    @Test
    void a_chain_action_is_never_sent_without_the_approval_gate() throws Exception {
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("ungated");
        try (dev.firebreak.store.Database db = dev.firebreak.store.TestDatabases.sqliteIn(folder);
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
             ChainOperations chain = new ChainOperations(console.demo().chain().chainsConfig(), new SignedTransactions(db.dataSource()),
                     java.time.Clock.systemUTC(), threads)) {
            var pause = chain.actions().get("chain.pause");
            var plan = pause.plan(java.util.Map.of("contract", "l2OutputOracle"));

            var result = pause.execute(plan, dev.firebreak.probe.Execution.ungated("direct-test"));

            assertThat(result.succeeded()).isFalse();
            assertThat(result.summary()).isEqualTo("not sent: a chain transaction is sent only through the approval gate");
            assertThat(console.session("ungated-read", "alice> /diag read l2OutputOracle paused\n")).contains("paused() = false");
        }
    }

    private static String selector(String signature) {
        return org.web3j.crypto.Hash.sha3String(signature).substring(2, 10);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
