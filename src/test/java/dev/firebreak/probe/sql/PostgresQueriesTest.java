package dev.firebreak.probe.sql;

import dev.firebreak.store.TestDatabases;
import dev.firebreak.kernel.Secret;
import dev.firebreak.demo.sql.DemoSequencerDatabase;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static dev.firebreak.probe.sql.SqliteQueriesTest.args;
import static dev.firebreak.probe.sql.SqliteQueriesTest.table;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The named queries against a real PostgreSQL, in a database of their own that is dropped afterwards.
 * Needs FIREBREAK_TEST_POSTGRES_URL, e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres.
 */
class PostgresQueriesTest {

    static TestDatabases.PostgresDatabase database;
    static String url;
    static Probe query;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = TestDatabases.createPostgresDatabase("fb_sql");
        url = database.url();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        DemoSequencerDatabase.create(dataSource, Clock.systemUTC());
        query = new SqlOperations(ShippedConfig.queriesOn("seq", database(5000))).probes().get("sql.query");
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabases.dropPostgresDatabase(database);
    }

    static DatabaseConfig database(int timeoutMillis) {
        return new DatabaseConfig(url, null, null, timeoutMillis, 50);
    }

    @Test
    void sequence_gaps_and_tenant_volume() {
        ProbeResult gaps = query.run(args("query", "sequence-gaps", "tenant", "acme", "store", "main"));
        assertThat(gaps.status()).isEqualTo(Status.CRITICAL);
        assertThat(table(gaps).rows()).containsExactly(List.of("12", "14", "1"));

        ProbeResult volume = query.run(args("query", "tenant-volume"));
        assertThat(table(volume).rows()).containsExactly(List.of("acme", "19"), List.of("globex", "4"));

        ProbeResult range = query.run(args("query", "event-count", "tenant", "acme", "store", "main", "first", "10", "last", "15"));
        assertThat(table(range).rows()).containsExactly(List.of("5", "10", "15", "6"));
    }

    @Test
    void lock_contention_and_counter_locks_show_the_session_holding_sequence_counters() throws SQLException {
        try (Connection holder = DriverManager.getConnection(url)) {
            holder.setAutoCommit(false);
            int pid;
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE sequence_counters IN ROW EXCLUSIVE MODE");
                ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()");
                rs.next();
                pid = rs.getInt(1);
            }

            ProbeResult contention = query.run(args("query", "lock-contention"));
            assertThat(table(contention).rows()).anySatisfy(row -> {
                assertThat(row.get(0)).isEqualTo(String.valueOf(pid));
                assertThat(row.get(2)).isEqualTo("idle in transaction");
            });

            ProbeResult locks = query.run(args("query", "sequence-counter-locks"));
            assertThat(table(locks).headers()).startsWith("pid", "mode", "granted");
            assertThat(table(locks).rows()).anySatisfy(row ->
                    assertThat(row.subList(0, 3)).containsExactly(String.valueOf(pid), "RowExclusiveLock", "t"));
            holder.rollback();
        }
    }

    @Test
    void catalogue_queries_on_postgres_statistics() {
        assertThat(table(query.run(args("query", "index-usage"))).rows())
                .anySatisfy(row -> assertThat(row.get(2)).isEqualTo("idx_events_stream"));
        assertThat(table(query.run(args("query", "table-sizes"))).rows())
                .extracting(row -> row.get(0)).contains("events", "dead_letter_events", "agent_keys");
        ProbeResult connections = query.run(args("query", "connection-count"));
        assertThat(connections.status()).isEqualTo(Status.OK);
        assertThat(table(connections).rows()).anySatisfy(row -> assertThat(row.get(0)).isEqualTo("active"));
        assertThat(table(query.run(args("query", "agent-keys", "agent", "agent-7"))).rows())
                .singleElement().satisfies(row -> assertThat(row.get(3)).isEqualTo("t"));
    }

    @Test
    void a_slow_query_stops_at_the_statement_timeout() {
        NamedQuery slow = new NamedQuery("sleeps", null, "SELECT pg_sleep(5) AS slept", null, null, null, null);
        Probe probe = new SqlOperations(new DatabasesConfig(Map.of("seq", database(300)), Map.of("slow", slow)))
                .probes().get("sql.query");
        ProbeResult result = probe.run(args("query", "slow"));

        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.summary()).isEqualTo("query slow on seq failed: timed out after 300 ms (statement timeout of database seq)");
    }

    @Test
    void the_transaction_is_read_only_even_for_a_write_hidden_in_a_select() throws SQLException {
        NamedQuery sneaky = new NamedQuery("deletes", "WITH d AS (DELETE FROM dead_letter_events RETURNING id) SELECT count(*) FROM d",
                null, null, null, null, null);
        PGSimpleDataSource pooled = new PGSimpleDataSource();
        pooled.setURL(url);
        for (SqlOperations operations : List.of(
                new SqlOperations(new DatabasesConfig(Map.of("seq", database(2000)), Map.of("sneaky", sneaky))),
                new SqlOperations(new DatabasesConfig(Map.of("seq", database(2000)), Map.of("sneaky", sneaky)),
                        Map.of("seq", ConnectionSource.of(pooled))))) {
            ProbeResult result = operations.probes().get("sql.query").run(args("query", "sneaky"));
            assertThat(result.status()).isEqualTo(Status.ERROR);
            assertThat(result.summary()).contains("refused: the query tried to write");
        }
        try (Connection connection = DriverManager.getConnection(url);
             ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM dead_letter_events")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(DemoSequencerDatabase.DEAD_LETTERS);
        }
    }

    @Test
    void a_rejected_login_never_shows_the_password() {
        String withoutPassword = url.replaceAll("([?&])password=[^&]*&?", "$1");
        DatabaseConfig wrong = new DatabaseConfig(withoutPassword, "firebreak_nobody",
                new Secret("env SEQUENCER_DB_PASSWORD", "wrong-pass-8842"), 2000, 10);

        ProbeResult result = new SqlOperations(ShippedConfig.queriesOn("seq", wrong)).probes().get("sql.query")
                .run(args("query", "key-rotations"));

        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.summary()).contains("seq").doesNotContain("wrong-pass-8842");
        assertThat(result.details().plainText()).doesNotContain("wrong-pass-8842");
    }
}
