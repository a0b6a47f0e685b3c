package dev.firebreak.store;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The stores the contract tests run against: always a fresh SQLite file, and a fresh schema
 * in the PostgreSQL at {@code FIREBREAK_TEST_POSTGRES_URL} when it is set (CI sets it).
 */
public final class TestDatabases {

    public static final String POSTGRES_URL_VARIABLE = "FIREBREAK_TEST_POSTGRES_URL";

    private TestDatabases() {}

    public static List<String> kinds() {
        List<String> kinds = new ArrayList<>(List.of("sqlite"));
        if (System.getenv(POSTGRES_URL_VARIABLE) != null) kinds.add("postgresql");
        return kinds;
    }

    /** A JDBC URL to an empty store of this kind. */
    public static String freshUrl(String kind, Path folder) {
        if (kind.equals("sqlite")) return "jdbc:sqlite:" + folder.resolve("store-" + UUID.randomUUID() + ".db");
        String base = System.getenv(POSTGRES_URL_VARIABLE);
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (var connection = DriverManager.getConnection(base); var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a test schema in " + Database.redact(base), e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
