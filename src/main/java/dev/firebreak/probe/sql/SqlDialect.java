package dev.firebreak.probe.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** The databases the SQL probes know how to run read-only. */
enum SqlDialect {
    POSTGRESQL("PostgreSQL"), SQLITE("SQLite");

    final String label;

    SqlDialect(String label) {
        this.label = label;
    }

    static SqlDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) return POSTGRESQL;
        if (product.contains("sqlite")) return SQLITE;
        throw new SQLException("unsupported database " + product + "; use PostgreSQL or SQLite");
    }
}
