package dev.firebreak.store;

import dev.firebreak.incident.IncidentRepository;
import dev.firebreak.kernel.StoreUnavailable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A store that cannot be used says so, with why: every call fails with {@link StoreUnavailable}
 * naming the reason, and {@link Database#unavailability()} (behind {@code /ready}) reports it
 * without waiting. Faults are real: another connection holding SQLite's write lock, a dropped
 * PostgreSQL schema, a read-only PostgreSQL database.
 */
class StoreAvailabilityTest {

    @TempDir
    Path dir;

    private static IncidentRepository.NewIncident incident(String channel) {
        return new IncidentRepository.NewIncident("P1", "RPC latency", false, "console", channel, channel, "alice");
    }

    @Test
    void a_sqlite_store_locked_by_another_connection_is_not_ready_and_writes_fail_naming_the_lock() throws Exception {
        Path file = dir.resolve("firebreak.db");
        try (Database db = Database.open("jdbc:sqlite:" + file + "?busy_timeout=100")) {
            JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
            assertThat(db.unavailability()).isEmpty();
            assertThat(db.reachable()).isTrue();
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file); Statement lock = other.createStatement()) {
                lock.execute("BEGIN EXCLUSIVE");
                long started = System.nanoTime();
                assertThat(db.unavailability()).contains("the SQLite database is locked by another connection");
                assertThat(db.reachable()).isFalse();
                assertThat((System.nanoTime() - started) / 1_000_000).as("the readiness check does not wait for the lock").isLessThan(2_000);
                assertThatThrownBy(() -> incidents.create(incident("inc-a"), Instant.now()))
                        .isInstanceOfSatisfying(StoreUnavailable.class, e -> assertThat(e.reason())
                                .isEqualTo("the SQLite database is locked by another connection"))
                        .hasMessageStartingWith("the store is unreachable (the SQLite database is locked by another connection)");
                assertThat(incidents.all()).as("reads still work while another connection writes").isEmpty();
                lock.execute("ROLLBACK");
            }
            assertThat(db.unavailability()).isEmpty();
            assertThat(incidents.create(incident("inc-b"), Instant.now()).number())
                    .as("the failed insert did not use up a number").isEqualTo(1);
        }
    }

    @Test
    void a_postgresql_store_whose_schema_was_dropped_is_not_ready_and_every_call_says_so() throws Exception {
        String url = TestDatabases.freshUrl("postgresql", dir);
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (Database db = Database.open(url)) {
            JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
            assertThat(db.unavailability()).isEmpty();
            try (Connection admin = DriverManager.getConnection(TestDatabases.postgresServer()); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            assertThat(db.unavailability()).contains("Firebreak's PostgreSQL schema or its tables are missing");
            assertThatThrownBy(incidents::open).isInstanceOfSatisfying(StoreUnavailable.class,
                    e -> assertThat(e.reason()).isEqualTo("Firebreak's PostgreSQL schema or its tables are missing"));
            assertThatThrownBy(() -> incidents.create(incident("inc-a"), Instant.now())).isInstanceOf(StoreUnavailable.class);
        }
    }

    @Test
    void a_read_only_postgresql_database_is_not_ready_and_writes_fail_as_read_only() throws Exception {
        TestDatabases.PostgresDatabase database = TestDatabases.createPostgresDatabase("firebreak_ro");
        try {
            try (Database db = Database.open(database.url())) {
                JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
                assertThat(db.unavailability()).isEmpty();
                try (Connection admin = DriverManager.getConnection(TestDatabases.postgresServer());
                     Statement statement = admin.createStatement()) {
                    statement.execute("ALTER DATABASE " + database.name() + " SET default_transaction_read_only = on");
                    statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database.name()
                            + "' AND pid <> pg_backend_pid()");
                }
                // the pool notices its connections were ended and opens read-only ones
                dev.firebreak.testing.Eventually.until(() -> db.unavailability().equals(java.util.Optional.of(
                        "the PostgreSQL database is read-only")), "for the store to report read-only (" + db.unavailability() + ")");
                assertThatThrownBy(() -> incidents.create(incident("inc-a"), Instant.now()))
                        .isInstanceOfSatisfying(StoreUnavailable.class, e -> assertThat(e.reason()).isEqualTo("the PostgreSQL database is read-only"));
                assertThat(incidents.all()).isEmpty();
            }
        } finally {
            TestDatabases.dropPostgresDatabase(database);
        }
    }
}
