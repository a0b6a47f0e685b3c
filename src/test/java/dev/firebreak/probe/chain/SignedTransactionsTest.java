package dev.firebreak.probe.chain;

import dev.firebreak.store.Database;
import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain_transactions table on every store: SQLite always, PostgreSQL where CI provides one. */
class SignedTransactionsTest {

    @TempDir
    Path dir;

    private Database open(String store) {
        return Database.open(TestDatabases.freshUrl(store, dir));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void the_first_signed_transaction_for_a_key_wins_and_is_marked_broadcast_once(String store) throws Exception {
        try (Database database = open(store)) {
            SignedTransactions transactions = new SignedTransactions(database.dataSource());
            Instant now = Instant.parse("2026-11-23T20:00:00Z");
            var first = new SignedTransactions.Stored("approval-7", "a".repeat(64), 31337, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                    4, "0x" + "1".repeat(64), "0x02f8aa", now, null, "false");
            var second = new SignedTransactions.Stored("approval-7", "a".repeat(64), 31337, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
                    5, "0x" + "2".repeat(64), "0x02f8bb", now, null, "true");
            assertThat(transactions.find("approval-7")).isEmpty();
            assertThat(transactions.insertOrGet(first)).isEqualTo(first);
            assertThat(transactions.insertOrGet(second)).as("a second signature never replaces the first").isEqualTo(first);
            transactions.markBroadcast("approval-7", now.plusSeconds(1));
            transactions.markBroadcast("approval-7", now.plusSeconds(9));
            var stored = transactions.find("approval-7").orElseThrow();
            assertThat(stored.txHash()).isEqualTo(first.txHash());
            assertThat(stored.rawTransaction()).isEqualTo("0x02f8aa");
            assertThat(stored.broadcastAt()).isEqualTo(now.plusSeconds(1));
            assertThat(stored.beforeValue()).as("what the post-condition read before the first was signed").isEqualTo("false");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void a_safe_proposal_keeps_when_its_signing_window_began_and_what_was_last_reported(String store) throws Exception {
        try (Database database = open(store)) {
            SafeProposals proposals = new SignedTransactions(database.dataSource()).safeProposals();
            Instant began = Instant.parse("2026-11-23T20:00:00Z");
            var first = proposals.start("approval-8", "0x" + "3".repeat(64), began);
            assertThat(first.signedReported()).as("nothing reported yet").isEqualTo(-1);
            proposals.reported("approval-8", 2);
            var again = proposals.start("approval-8", "0x" + "3".repeat(64), began.plusSeconds(600));
            assertThat(again.proposedAt()).as("a restart does not extend the window").isEqualTo(began);
            assertThat(again.signedReported()).isEqualTo(2);
        }
    }
}
