package dev.firebreak.probe.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connections for a configured database through its JDBC driver, with connect and socket timeouts,
 * the password passed as a property (never in the URL), and SQLite files opened read-only.
 */
final class DriverConnectionSource implements ConnectionSource {

    private static final int SQLITE_OPEN_READONLY = 0x1;
    private static final int SQLITE_OPEN_URI = 0x40;

    private final DatabaseConfig database;

    DriverConnectionSource(DatabaseConfig database) {
        this.database = database;
    }

    @Override
    public Connection open() throws SQLException {
        Properties props = new Properties();
        int timeoutSeconds = Math.max(1, (database.statementTimeoutMillisOrDefault() + 999) / 1000);
        if (database.jdbcUrl().startsWith("jdbc:postgresql:")) {
            if (database.user() != null && !database.user().isBlank()) props.setProperty("user", database.user());
            if (database.password() != null && database.password().isPresent()) {
                props.setProperty("password", database.password().reveal());
            }
            props.setProperty("connectTimeout", "5");
            props.setProperty("loginTimeout", String.valueOf(DatabaseConfig.CONNECT_TIMEOUT.toSeconds()));
            props.setProperty("socketTimeout", String.valueOf(timeoutSeconds + 10));
            props.setProperty("ApplicationName", "firebreak");
            props.setProperty("readOnly", "true");
        } else {
            props.setProperty("open_mode", String.valueOf(SQLITE_OPEN_READONLY | SQLITE_OPEN_URI));
            props.setProperty("busy_timeout", String.valueOf(database.statementTimeoutMillisOrDefault()));
        }
        return DriverManager.getConnection(database.jdbcUrl(), props);
    }
}
