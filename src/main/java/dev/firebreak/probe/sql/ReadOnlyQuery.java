package dev.firebreak.probe.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one statement read-only with a statement timeout. PostgreSQL: a transaction with
 * {@code SET TRANSACTION READ ONLY} and {@code SET LOCAL statement_timeout}, always rolled back.
 * SQLite: {@code PRAGMA query_only} for the statement and a query timeout.
 */
final class ReadOnlyQuery {

    /** What came back: column labels, up to {@code maxRows} rows as text, and whether more existed. */
    record Rows(List<String> headers, List<List<String>> rows, boolean truncated) {}

    static final int MAX_CELL = 200;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sql-statement-timeout").factory());

    private ReadOnlyQuery() {}

    static Rows run(Connection connection, SqlDialect dialect, String jdbcSql, List<Object> values,
                    int timeoutMillis, int maxRows) throws SQLException {
        return dialect == SqlDialect.POSTGRESQL
                ? onPostgres(connection, jdbcSql, values, timeoutMillis, maxRows)
                : onSqlite(connection, jdbcSql, values, timeoutMillis, maxRows);
    }

    private static Rows onPostgres(Connection connection, String jdbcSql, List<Object> values, int timeoutMillis,
                                   int maxRows) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (Statement setup = connection.createStatement()) {
                setup.execute("SET TRANSACTION READ ONLY");
                setup.execute("SET LOCAL statement_timeout = " + timeoutMillis);
            }
            return select(connection, jdbcSql, values, timeoutMillis, maxRows, false);
        } finally {
            try {
                connection.rollback();
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static Rows onSqlite(Connection connection, String jdbcSql, List<Object> values, int timeoutMillis,
                                 int maxRows) throws SQLException {
        try (Statement pragma = connection.createStatement()) {
            pragma.execute("PRAGMA query_only = 1");
        }
        try {
            return select(connection, jdbcSql, values, timeoutMillis, maxRows, true);
        } finally {
            try (Statement pragma = connection.createStatement()) {
                pragma.execute("PRAGMA query_only = 0");
            }
        }
    }

    private static Rows select(Connection connection, String jdbcSql, List<Object> values, int timeoutMillis,
                               int maxRows, boolean sqlite) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(jdbcSql)) {
            // SQLite's driver does not stop a running statement at its query timeout; cancel() interrupts it
            ScheduledFuture<?> cancel = sqlite
                    ? WATCHDOG.schedule(() -> cancelQuietly(statement), timeoutMillis, TimeUnit.MILLISECONDS)
                    : null;
            try {
                return select(statement, values, timeoutMillis, maxRows, sqlite);
            } finally {
                if (cancel != null) cancel.cancel(false);
            }
        }
    }

    private static void cancelQuietly(Statement statement) {
        try {
            statement.cancel();
        } catch (SQLException e) {
            // the statement finished or closed meanwhile
        }
    }

    private static Rows select(PreparedStatement statement, List<Object> values, int timeoutMillis, int maxRows,
                               boolean sqlite) throws SQLException {
        // a backstop above the server-side limit, so a lost server still ends the wait
        statement.setQueryTimeout(Math.max(1, (timeoutMillis + 999) / 1000 + 1));
        statement.setMaxRows(maxRows + 1);
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            if (value instanceof UUID uuid && sqlite) {
                statement.setString(i + 1, uuid.toString());
            } else {
                statement.setObject(i + 1, value);
            }
        }
        try (ResultSet result = statement.executeQuery()) {
            ResultSetMetaData meta = result.getMetaData();
            List<String> headers = new ArrayList<>();
            for (int c = 1; c <= meta.getColumnCount(); c++) headers.add(meta.getColumnLabel(c));
            List<List<String>> rows = new ArrayList<>();
            boolean truncated = false;
            while (result.next()) {
                if (rows.size() == maxRows) {
                    truncated = true;
                    break;
                }
                List<String> row = new ArrayList<>(headers.size());
                for (int c = 1; c <= headers.size(); c++) row.add(cell(result.getString(c)));
                rows.add(row);
            }
            return new Rows(headers, rows, truncated);
        }
    }

    private static String cell(String value) {
        if (value == null) return "NULL";
        String flat = value.replace('\n', ' ').replace('\r', ' ');
        return flat.length() > MAX_CELL ? flat.substring(0, MAX_CELL) + "…" : flat;
    }
}
