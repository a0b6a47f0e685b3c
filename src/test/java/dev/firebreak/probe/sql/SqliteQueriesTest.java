package dev.firebreak.probe.sql;

import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Secret;
import dev.firebreak.demo.sql.DemoSequencerDatabase;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import dev.firebreak.probe.FixedArguments;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The named queries against the demo schema in a SQLite file, opened read-only through the driver. */
class SqliteQueriesTest {

    @TempDir
    static Path dir;
    static Path file;
    static Probe query;

    @BeforeAll
    static void createDemoDatabase() throws SQLException {
        file = dir.resolve("sequencer.db");
        DemoSequencerDatabase.create(DemoSequencerDatabase.sqliteFile(file), Clock.systemUTC());
        query = new SqlOperations(ShippedConfig.queriesOn("demo", DemoSequencerDatabase.sqliteConfig(file))).probes().get("sql.query");
    }

    static Message.Table table(ProbeResult result) {
        return result.details().blocks().stream().filter(Message.Table.class::isInstance)
                .map(Message.Table.class::cast).findFirst().orElseThrow();
    }

    static Map<String, String> args(String... pairs) {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) args.put(pairs[i], pairs[i + 1]);
        return args;
    }

    @Test
    void a_value_a_run_refuses_is_refused_by_validation_with_the_same_message() {
        for (Map<String, String> bad : List.of(args("query", "sequence-gap"),
                args("query", "event-count", "tenant", "acme", "store", "main", "first", "one", "last", "9"),
                args("query", "sequence-gaps", "tenant", "acme"))) {
            String refused = catchThrowableOfType(InvalidInput.class, () -> query.run(bad)).getMessage();
            assertThat(FixedArguments.problem(query, bad, java.util.Set.of())).as(bad.toString())
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        assertThat(FixedArguments.problem(query, args("query", "sequence-gap"), java.util.Set.of("database", "tenant", "store")))
                .as("the query is judged before the database chat names").isPresent();
        assertThat(FixedArguments.problem(query, args("query", "sequence-gaps"), java.util.Set.of("database", "tenant", "store")))
                .as("its parameters come from chat").isEmpty();
    }

    @Test
    void the_shipped_config_has_no_problems() {
        DatabasesConfig shipped = ShippedConfig.load();
        assertThat(shipped.problems()).isEmpty();
        assertThat(shipped.queries()).containsKeys("sequence-gaps", "lock-contention", "sequence-counter-locks",
                "connection-count", "dead-letter-events", "index-usage", "table-sizes", "tenant-volume", "agent-keys");
    }

    @Test
    void sequence_gaps_finds_the_missing_event_as_critical() {
        ProbeResult result = query.run(args("query", "sequence-gaps", "tenant", "acme", "store", "main"));

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.summary()).isEqualTo("query sequence-gaps on demo: 1 row");
        assertThat(table(result).headers()).containsExactly("prev_seq", "sequence_number", "missing");
        assertThat(table(result).rows()).containsExactly(List.of("12", "14", "1"));

        ProbeResult clean = query.run(args("query", "sequence-gaps", "tenant", "globex", "store", "eu-1"));
        assertThat(clean.status()).isEqualTo(Status.OK);
        assertThat(table(clean).rows()).isEmpty();
    }

    @Test
    void parameters_are_bound_never_pasted_into_the_sql() {
        assertThatThrownBy(() -> query.run(args("query", "sequence-gaps", "tenant", "acme' OR '1'='1", "store", "main")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("not a valid tenant");
        // a value that passes the syntax check is compared as a value
        ProbeResult result = query.run(args("query", "agent-keys", "agent", "agent-7"));
        assertThat(table(result).rows()).singleElement().satisfies(r -> assertThat(r.get(1)).isEqualTo("k-2025-04"));
    }

    @Test
    void bad_input_names_what_is_missing_or_allowed() {
        assertThatThrownBy(() -> query.run(args("query", "drop-tables")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("Unknown query 'drop-tables'")
                .hasMessageContaining("sequence-gaps");
        assertThatThrownBy(() -> query.run(args("query", "sequence-gaps", "tenant", "acme")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("needs store")
                .hasMessageContaining("Usage: sequence-gaps TENANT STORE");
        assertThatThrownBy(() -> query.run(args("query", "event-count", "tenant", "acme", "store", "main", "first", "1", "last", "ten")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("'ten' is not a whole number for last");
        assertThatThrownBy(() -> query.run(args("database", "prod", "query", "key-rotations")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("Databases: demo");
    }

    @Test
    void portable_and_sqlite_specific_queries_run() {
        ProbeResult volume = query.run(args("query", "tenant-volume"));
        assertThat(table(volume).rows()).containsExactly(List.of("acme", "19"), List.of("globex", "4"));

        ProbeResult range = query.run(args("query", "event-count", "tenant", "acme", "store", "main", "first", "1", "last", "20"));
        assertThat(table(range).rows()).containsExactly(List.of("19", "1", "20", "20"));

        ProbeResult dead = query.run(args("query", "dead-letter-events"));
        assertThat(dead.status()).isEqualTo(Status.WARNING);
        assertThat(table(dead).rows()).hasSize(3);
    }

    @Test
    void postgres_only_queries_say_so_on_sqlite() {
        for (String name : List.of("lock-contention", "sequence-counter-locks", "connection-count", "index-usage", "table-sizes")) {
            ProbeResult result = query.run(args("query", name));
            assertThat(result.status()).isEqualTo(Status.ERROR);
            assertThat(result.summary()).isEqualTo("query " + name + " on demo needs PostgreSQL; database demo is SQLite, so nothing was run.");
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void a_slow_query_stops_at_the_statement_timeout() {
        NamedQuery slow = new NamedQuery("counts far", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 300000000) "
                + "SELECT count(*) AS n FROM c", null, null, null, null, null);
        DatabaseConfig database = new DatabaseConfig("jdbc:sqlite:" + file, null, null, 500, 10);
        Probe probe = new SqlOperations(new DatabasesConfig(Map.of("demo", database), Map.of("slow", slow))).probes().get("sql.query");
        ProbeResult result = probe.run(args("query", "slow"));

        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.summary()).isEqualTo("query slow on demo failed: timed out after 500 ms (statement timeout of database demo)");
    }

    @Test
    void rows_are_capped_with_a_note() {
        DatabaseConfig small = new DatabaseConfig("jdbc:sqlite:" + file, null, null, 2000, 2);
        Probe capped = new SqlOperations(ShippedConfig.queriesOn("demo", small)).probes().get("sql.query");

        ProbeResult result = capped.run(args("query", "dead-letter-events"));

        assertThat(table(result).rows()).hasSize(2);
        assertThat(result.summary()).endsWith("more than 2 rows");
        assertThat(result.details().plainText()).contains("Showing the first 2 rows; more exist");
    }

    @Test
    void a_query_that_writes_is_refused_and_changes_nothing() throws SQLException {
        NamedQuery sneaky = new NamedQuery("not really read-only", "DELETE FROM dead_letter_events RETURNING id", null, null, null, null, null);
        assertThat(sneaky.problems("queries.sneaky")).contains("queries.sneaky.sql: must be a SELECT (or WITH ... SELECT); queries from chat only read");

        // even past the config check, the connection itself refuses (read-only open mode and query_only)
        for (ConnectionSource source : List.of(ConnectionSource.of(DemoSequencerDatabase.sqliteFile(file)),
                new DriverConnectionSource(DemoSequencerDatabase.sqliteConfig(file)))) {
            Probe probe = new SqlOperations(new DatabasesConfig(Map.of("demo", DemoSequencerDatabase.sqliteConfig(file)),
                    Map.of("sneaky", sneaky)), Map.of("demo", source)).probes().get("sql.query");
            ProbeResult result = probe.run(args("query", "sneaky"));
            assertThat(result.status()).isEqualTo(Status.ERROR);
            assertThat(result.summary()).contains("refused: the query tried to write");
        }
        try (Connection connection = DemoSequencerDatabase.sqliteFile(file).getConnection();
             ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM dead_letter_events")) {
            count.next();
            assertThat(count.getInt(1)).isEqualTo(DemoSequencerDatabase.DEAD_LETTERS);
        }
    }

    @Test
    void an_unreachable_database_is_an_error_result_without_the_password() {
        DatabaseConfig down = new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/seq?password=hunter2-in-url", "firebreak",
                new Secret("env SEQUENCER_DB_PASSWORD", "hunter2-secret"), 1000, 10);
        assertThat(down.toString()).doesNotContain("hunter2");
        assertThat(down.problems("databases.down")).contains(
                "databases.down.jdbcUrl: carries a password; move it to databases.down.password (e.g. ${SEQUENCER_DB_PASSWORD})");

        ProbeResult result = new SqlOperations(ShippedConfig.queriesOn("down", down)).probes().get("sql.query")
                .run(args("query", "key-rotations"));

        assertThat(result.status()).isEqualTo(Status.ERROR);
        assertThat(result.summary()).contains("cannot connect to database down at jdbc:postgresql://127.0.0.1:1/seq?password=****");
        assertThat(result.summary() + result.details().plainText()).doesNotContain("hunter2");
    }
}
