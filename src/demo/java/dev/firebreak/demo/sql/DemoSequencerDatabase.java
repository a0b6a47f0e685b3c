package dev.firebreak.demo.sql;

import dev.firebreak.probe.sql.DatabaseConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A database shaped like the StateSet sequencer's (events, sequence_counters, dead_letter_events,
 * agent_keys, commitments) for demos and tests, on PostgreSQL or SQLite. Stream {@value #TENANT}/{@value #STORE}
 * has sequence numbers 1 to 20 without {@value #MISSING_SEQUENCE}: the gap the runbook's query finds.
 */
public final class DemoSequencerDatabase {

    public static final String TENANT = "acme";
    public static final String STORE = "main";
    public static final long MISSING_SEQUENCE = 13;
    public static final int DEAD_LETTERS = 3;

    private static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private DemoSequencerDatabase() {}

    /** A SQLite database in a file (created when missing). */
    public static DataSource sqliteFile(Path file) {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return dataSource;
    }

    /** A {@code bot/databases.yaml} entry for a SQLite file made by {@link #create}. */
    public static DatabaseConfig sqliteConfig(Path file) {
        return new DatabaseConfig("jdbc:sqlite:" + file.toAbsolutePath(), null, null, 2000, 50);
    }

    /** Drops and recreates the demo tables and fills them; timestamps are relative to the clock. */
    public static void create(DataSource dataSource, Clock clock) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            String id = postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
            String time = postgres ? "TIMESTAMPTZ" : "TEXT";
            String bool = postgres ? "BOOLEAN" : "INTEGER";
            try (Statement ddl = connection.createStatement()) {
                for (String table : List.of("commitments", "agent_keys", "dead_letter_events", "sequence_counters", "events")) {
                    ddl.execute("DROP TABLE IF EXISTS " + table);
                }
                ddl.execute("CREATE TABLE events (id " + id + ", tenant_id TEXT NOT NULL, store_id TEXT NOT NULL, "
                        + "sequence_number BIGINT NOT NULL, event_type TEXT NOT NULL, payload TEXT, created_at " + time + " NOT NULL)");
                ddl.execute("CREATE UNIQUE INDEX idx_events_stream ON events (tenant_id, store_id, sequence_number)");
                ddl.execute("CREATE INDEX idx_events_created_at ON events (created_at)");
                ddl.execute("CREATE TABLE sequence_counters (tenant_id TEXT NOT NULL, store_id TEXT NOT NULL, "
                        + "next_sequence BIGINT NOT NULL, updated_at " + time + " NOT NULL, PRIMARY KEY (tenant_id, store_id))");
                ddl.execute("CREATE TABLE dead_letter_events (id " + id + ", tenant_id TEXT NOT NULL, store_id TEXT NOT NULL, "
                        + "sequence_number BIGINT, reason TEXT NOT NULL, payload TEXT, created_at " + time + " NOT NULL)");
                ddl.execute("CREATE TABLE agent_keys (agent_id TEXT NOT NULL, key_id TEXT NOT NULL, public_key TEXT NOT NULL, "
                        + "active " + bool + " NOT NULL, created_at " + time + " NOT NULL, PRIMARY KEY (agent_id, key_id))");
                ddl.execute("CREATE TABLE commitments (id " + id + ", tenant_id TEXT NOT NULL, store_id TEXT NOT NULL, "
                        + "start_sequence BIGINT NOT NULL, end_sequence BIGINT NOT NULL, merkle_root TEXT NOT NULL, "
                        + "anchored_tx TEXT, created_at " + time + " NOT NULL)");
            }
            Instant now = clock.instant();
            Rows rows = new Rows(connection, postgres);
            for (long seq = 1; seq <= 20; seq++) {
                if (seq == MISSING_SEQUENCE) continue;
                rows.insert("INSERT INTO events (tenant_id, store_id, sequence_number, event_type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        TENANT, STORE, seq, seq % 3 == 0 ? "order.updated" : "order.created",
                        "{\"order\":" + (1000 + seq) + "}", now.minus(Duration.ofMinutes(2L * (21 - seq))));
            }
            for (long seq = 1; seq <= 8; seq++) {
                rows.insert("INSERT INTO events (tenant_id, store_id, sequence_number, event_type, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        "globex", "eu-1", seq, "inventory.adjusted", "{\"sku\":\"G-" + seq + "\"}",
                        now.minus(Duration.ofMinutes(seq < 5 ? 90 : 10L * (seq - 4))));
            }
            rows.insert("INSERT INTO sequence_counters (tenant_id, store_id, next_sequence, updated_at) VALUES (?, ?, ?, ?)",
                    TENANT, STORE, 21L, now.minusSeconds(60));
            rows.insert("INSERT INTO sequence_counters (tenant_id, store_id, next_sequence, updated_at) VALUES (?, ?, ?, ?)",
                    "globex", "eu-1", 9L, now.minusSeconds(600));
            String[] reasons = {"signature verification failed", "payload schema invalid: missing field order_id",
                    "non-contiguous sequence: expected 13, got 14"};
            for (int i = 0; i < DEAD_LETTERS; i++) {
                rows.insert("INSERT INTO dead_letter_events (tenant_id, store_id, sequence_number, reason, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                        TENANT, STORE, 12L + i, reasons[i], "{}", now.minus(Duration.ofMinutes(30L - 10L * i)));
            }
            rows.insert("INSERT INTO agent_keys (agent_id, key_id, public_key, active, created_at) VALUES (?, ?, ?, ?, ?)",
                    "agent-7", "k-2025-01", "ed25519:7Hq4c9...retired", false, now.minus(Duration.ofDays(90)));
            rows.insert("INSERT INTO agent_keys (agent_id, key_id, public_key, active, created_at) VALUES (?, ?, ?, ?, ?)",
                    "agent-7", "k-2025-04", "ed25519:Zp3mW1...current", true, now.minus(Duration.ofDays(2)));
            rows.insert("INSERT INTO agent_keys (agent_id, key_id, public_key, active, created_at) VALUES (?, ?, ?, ?, ?)",
                    "agent-9", "k-2025-03", "ed25519:Bv8tL0...current", true, now.minus(Duration.ofDays(30)));
            rows.insert("INSERT INTO commitments (tenant_id, store_id, start_sequence, end_sequence, merkle_root, anchored_tx, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    TENANT, STORE, 1L, 10L, "0x5f1e0c7a", "0x8d1f44", now.minus(Duration.ofMinutes(20)));
            rows.insert("INSERT INTO commitments (tenant_id, store_id, start_sequence, end_sequence, merkle_root, anchored_tx, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    "globex", "eu-1", 1L, 8L, "0x9a3b77d2", null, now.minus(Duration.ofMinutes(8)));
        }
    }

    /** Inserts with bound values; instants become TIMESTAMPTZ on PostgreSQL and UTC text on SQLite. */
    private record Rows(Connection connection, boolean postgres) {
        void insert(String sql, Object... values) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    Object value = values[i];
                    if (value instanceof Instant instant) {
                        if (postgres) statement.setObject(i + 1, instant.atOffset(ZoneOffset.UTC));
                        else statement.setString(i + 1, SQLITE_TIME.format(instant));
                    } else if (value instanceof Boolean flag && !postgres) {
                        statement.setInt(i + 1, flag ? 1 : 0);
                    } else {
                        statement.setObject(i + 1, value);
                    }
                }
                statement.executeUpdate();
            }
        }
    }
}
