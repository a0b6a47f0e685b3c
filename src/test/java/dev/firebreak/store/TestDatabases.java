package dev.firebreak.store;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The databases tests run against: always a fresh SQLite file, and a fresh schema or database
 * in the PostgreSQL at {@code FIREBREAK_TEST_POSTGRES_URL} when it is set ({@code .ci/run} sets
 * it); PostgreSQL tests are skipped, with that reason, when it is not.
 */
public final class TestDatabases {

    public static final String POSTGRES_URL_VARIABLE = "FIREBREAK_TEST_POSTGRES_URL";

    private TestDatabases() {}

    public static List<String> kinds() {
        List<String> kinds = new ArrayList<>(List.of("sqlite"));
        if (System.getenv(POSTGRES_URL_VARIABLE) != null) kinds.add("postgresql");
        return kinds;
    }

    /** A new, migrated SQLite store in {@code folder} (for adapters that keep what they handled in the store). */
    public static Database sqliteIn(Path folder) {
        return Database.open(freshUrl("sqlite", folder));
    }

    /** A JDBC URL to an empty store of this kind; skips the test for PostgreSQL when none is configured. */
    public static String freshUrl(String kind, Path folder) {
        if (kind.equals("sqlite")) return "jdbc:sqlite:" + folder.resolve("store-" + UUID.randomUUID() + ".db");
        String base = postgresServer();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (var connection = DriverManager.getConnection(base); var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + Database.redact(base), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The PostgreSQL server URL; skips the calling test when it is not configured. */
    public static String postgresServer() {
        String url = System.getenv(POSTGRES_URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(), POSTGRES_URL_VARIABLE + " is not set; the PostgreSQL run is skipped");
        return url;
    }

    /** A database of its own on the PostgreSQL server (for what needs more than a schema); drop it with {@link #dropPostgresDatabase}. */
    public record PostgresDatabase(String name, String url) {}

    public static PostgresDatabase createPostgresDatabase(String prefix) {
        String server = postgresServer();
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (var connection = DriverManager.getConnection(server); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a test database in " + Database.redact(server), e);
        }
        return new PostgresDatabase(name, server.replaceFirst("(jdbc:postgresql://[^/?]+)(/[^?]*)?", "$1/" + name));
    }

    public static void dropPostgresDatabase(PostgresDatabase database) {
        if (database == null) return;
        try (var connection = DriverManager.getConnection(postgresServer()); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot drop test database " + database.name(), e);
        }
    }
}
