package dev.firebreak.probe.sql;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;

/** Chat-safe descriptions of database failures: no passwords, no URLs with credentials, one line. */
final class SqlFailures {

    private SqlFailures() {}

    static String describe(SQLException e, DatabaseConfig database, String databaseName) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage();
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (state.equals("57014") || e instanceof SQLTimeoutException || lower.contains("query timed out")
                || lower.contains("interrupted")) {
            return "timed out after " + database.statementTimeoutMillisOrDefault()
                    + " ms (statement timeout of database " + databaseName + ")";
        }
        if (state.equals("25006") || lower.contains("readonly") || lower.contains("read-only")) {
            return "refused: the query tried to write, and queries from chat run read-only";
        }
        if (state.startsWith("08") || lower.contains("connection refused") || lower.contains("unable to open")) {
            return "cannot connect to database " + databaseName + " at " + database.redactedUrl() + " ("
                    + scrub(firstLine(message), database) + ")";
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return "database " + databaseName + " rejected the login of user " + database.user()
                    + "; check the password given by " + passwordSource(database);
        }
        return scrub(firstLine(message), database) + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
    }

    private static String passwordSource(DatabaseConfig database) {
        return database.password() == null ? "databases.*.password" : database.password().source();
    }

    /** Removes the password (should a driver echo it) and credentials in URLs. */
    static String scrub(String text, DatabaseConfig database) {
        String out = text;
        if (database.password() != null && database.password().isPresent()) {
            out = out.replace(database.password().reveal(), "****");
        }
        return JdbcUrls.redact(out);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
