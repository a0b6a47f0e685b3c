package dev.firebreak.runbook.packs;

import dev.firebreak.demo.sql.DemoPostgres;
import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sequencer runbooks whose queries are written for PostgreSQL (pg_stat_activity, pg_locks,
 * pg_stat_user_tables, pg_stat_user_indexes), against the demo with its sequencer database on
 * PostgreSQL, as {@code ./firebreak demo} has it: the server of FIREBREAK_TEST_POSTGRES_URL (CI), or
 * the demo's private one from this machine's PostgreSQL programs. Skipped, with the reason, only
 * where neither exists.
 */
class StatesetSequencerPostgresPackTest {

    static DemoConsole console;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
    }

    @AfterAll
    static void stop() {
        if (console != null) console.close();
    }

    @Test
    void postgres_queries_answer_with_real_sessions_tables_and_indexes() {
        assumeTrue(console.demo().sequencerOnPostgres(), "the demo found no PostgreSQL (" + TestDatabases.POSTGRES_URL_VARIABLE
                + ", " + DemoPostgres.URL_VARIABLE + " or PostgreSQL's initdb and pg_ctl): " + console.demo().sequencerDatabaseLine(console.config()));
        console.session("pg", "alice> /incident declare P1 sequencer connections exhausted\n");
        String alice = "alice #" + DemoConsole.incidentChannel("sequencer-connections-exhausted") + "> ";
        String out = console.session("pg", alice + "/runbook run sequencer-ingest-latency\n"
                + alice + "/runbook run sequencer-connection-exhaustion\n"
                + alice + "/runbook run sequencer-vacuum\n"
                + alice + "/runbook run sequencer-index-usage\n"
                + alice + "/runbook run sequencer-weekly\n"
                + alice + "/runbook run sequencer-rate-limits\n");
        assertThat(out).doesNotContain("needs PostgreSQL").doesNotContain("could not run");
        assertThat(out).contains("`/diag locks sequencer`: query lock-contention on sequencer")
                .contains("`/diag counter-locks sequencer`: query sequence-counter-locks on sequencer")
                .containsPattern("idx_events_stream")
                .containsPattern("state\\s+connections\\s+max_connections")
                .contains("`/diag idle-connections sequencer`: query idle-connections on sequencer")
                .containsPattern("table_name\\s+live_rows\\s+dead_rows\\s+last_vacuum")
                .containsPattern("\\bdead_letter_events\\b")
                .containsPattern("table_name\\s+total_size")
                .containsPattern("acme\\s+19")
                .contains("Runbook sequencer-rate-limits (R-6) finished.");
    }
}
