package dev.firebreak.probe.sql;

import dev.firebreak.kernel.Secret;

import java.util.ArrayList;
import java.util.List;

/**
 * One database in {@code bot/databases.yaml}. Use a read-only database role where the database
 * has one; the bot also runs every query in a read-only transaction.
 *
 * @param jdbcUrl                {@code jdbc:postgresql://host:5432/db} or {@code jdbc:sqlite:/path/file.db};
 *                               put the password in {@code password}, not in the URL
 * @param statementTimeoutMillis per-query limit (default 5000)
 * @param maxRows                rows shown in chat (default 50; a query may ask for fewer or more, up to 500)
 */
public record DatabaseConfig(String jdbcUrl, String user, Secret password, Integer statementTimeoutMillis, Integer maxRows) {

    public static final int DEFAULT_STATEMENT_TIMEOUT_MILLIS = 5000;
    public static final int DEFAULT_MAX_ROWS = 50;
    public static final int MAX_ROWS_LIMIT = 500;

    public int statementTimeoutMillisOrDefault() {
        return statementTimeoutMillis == null ? DEFAULT_STATEMENT_TIMEOUT_MILLIS : statementTimeoutMillis;
    }

    /** How long connecting may take (the drivers' login timeout), before the statement's own timeout. */
    public static final java.time.Duration CONNECT_TIMEOUT = java.time.Duration.ofSeconds(10);

    /** How long one query probe may take: connecting, then the statement within its timeout. */
    public java.time.Duration probeTimeout() {
        return CONNECT_TIMEOUT.plusMillis(statementTimeoutMillisOrDefault());
    }

    public int maxRowsOrDefault() {
        return maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
    }

    /** The URL with any password or credentials in it masked: safe for chat and logs. */
    public String redactedUrl() {
        return JdbcUrls.redact(jdbcUrl);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[jdbcUrl=" + redactedUrl() + ", user=" + user + ", password=****, statementTimeoutMillis="
                + statementTimeoutMillis + ", maxRows=" + maxRows + "]";
    }

    List<String> problems(String path) {
        List<String> problems = new ArrayList<>();
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            problems.add(path + ".jdbcUrl: missing; e.g. jdbc:postgresql://db:5432/stateset_sequencer");
        } else if (!(jdbcUrl.startsWith("jdbc:postgresql:") || jdbcUrl.startsWith("jdbc:sqlite:"))) {
            problems.add(path + ".jdbcUrl: '" + redactedUrl() + "' is neither PostgreSQL nor SQLite; start it with jdbc:postgresql: or jdbc:sqlite:");
        } else if (JdbcUrls.hasCredentials(jdbcUrl)) {
            problems.add(path + ".jdbcUrl: carries a password; move it to " + path + ".password (e.g. ${SEQUENCER_DB_PASSWORD})");
        }
        if (statementTimeoutMillis != null && (statementTimeoutMillis < 100 || statementTimeoutMillis > 60_000)) {
            problems.add(path + ".statementTimeoutMillis: " + statementTimeoutMillis + " is out of range; use 100 to 60000");
        }
        if (maxRows != null && (maxRows < 1 || maxRows > MAX_ROWS_LIMIT)) {
            problems.add(path + ".maxRows: " + maxRows + " is out of range; use 1 to " + MAX_ROWS_LIMIT);
        }
        return problems;
    }
}
