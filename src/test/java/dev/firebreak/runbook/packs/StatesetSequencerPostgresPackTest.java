package dev.firebreak.runbook.packs;

import dev.firebreak.store.TestDatabases;
import dev.firebreak.demo.sql.DemoSequencerDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sequencer runbooks whose queries are written for PostgreSQL (pg_stat_activity, pg_locks,
 * pg_stat_user_tables, pg_stat_user_indexes), against the demo with its sequencer database on a real
 * PostgreSQL server. Needs FIREBREAK_TEST_POSTGRES_URL, e.g.
 * jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=postgres; skipped without it.
 */
class StatesetSequencerPostgresPackTest {

    static TestDatabases.PostgresDatabase database;
    static DemoConsole console;

    @BeforeAll
    static void start() throws SQLException {
        database = TestDatabases.createPostgresDatabase("fb_seq");
        String url = database.url();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        DemoSequencerDatabase.create(dataSource, Clock.systemUTC());
        // the configuration wants the password apart from the URL, as an operator would give it
        String user = parameter(url, "user");
        String password = parameter(url, "password");
        String bare = url.replaceAll("([?&])(user|password)=[^&]*", "$1").replaceAll("[?&]+$", "").replaceAll("\\?&+", "?");
        console = DemoConsole.start(Map.of("SEQUENCER_DB_URL", bare, "SEQUENCER_DB_USER", user, "SEQUENCER_DB_PASSWORD", password));
    }

    private static String parameter(String url, String name) {
        var m = java.util.regex.Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
        return m.find() ? java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8) : "";
    }

    @AfterAll
    static void stop() throws SQLException {
        if (console != null) console.close();
        TestDatabases.dropPostgresDatabase(database);
    }

    @Test
    void postgres_queries_answer_with_real_sessions_tables_and_indexes() {
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
