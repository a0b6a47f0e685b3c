package dev.firebreak.store;

import dev.firebreak.kernel.StoreUnavailable;
import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/**
 * Tells a store that cannot be used (unreachable, locked, full, read-only, schema gone) from a
 * statement that failed on its own (a constraint), and turns the first into
 * {@link StoreUnavailable} with a reason an operator can act on.
 */
final class StoreFailures {

    private StoreFailures() {}

    /** {@code failure} as {@link StoreUnavailable} when it says the store cannot be used, else unchanged. */
    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof StoreUnavailable) return failure;
        return unavailability(failure).<RuntimeException>map(reason -> new StoreUnavailable(reason, failure)).orElse(failure);
    }

    /** Why the store cannot be used, when this failure says so. */
    static Optional<String> unavailability(Throwable failure) {
        Optional<String> general = Optional.empty();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException sqlite) return sqlite(sqlite);
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                Optional<String> reason = postgres(sql.getSQLState(), String.valueOf(sql.getMessage()));
                if (reason.isPresent()) return reason;
            }
            // the pool's own failures say less than the driver's failure they wrap: keep looking
            if (general.isEmpty() && t instanceof SQLTransientConnectionException) {
                general = Optional.of("no database connection could be had within the timeout");
            }
            if (general.isEmpty() && t instanceof SQLException sql && String.valueOf(sql.getMessage()).contains("has been closed")) {
                general = Optional.of("the store was closed");
            }
        }
        return general;
    }

    private static Optional<String> sqlite(SQLiteException e) {
        return switch (e.getResultCode().code & 0xff) {
            case 5, 6 -> Optional.of("the SQLite database is locked by another connection");
            case 8 -> Optional.of("the SQLite database is read-only");
            case 13 -> Optional.of("the disk holding the SQLite database is full");
            case 10 -> Optional.of("the SQLite database cannot be read or written (I/O error)");
            case 11, 26 -> Optional.of("the SQLite database file is damaged or not a database");
            case 14 -> Optional.of("the SQLite database file cannot be opened");
            case 1 -> String.valueOf(e.getMessage()).contains("no such table")
                    ? Optional.of("the SQLite database has lost its tables") : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** PostgreSQL SQLSTATE classes that mean the store, not the statement, is the problem. */
    private static Optional<String> postgres(String state, String message) {
        if (state.startsWith("08")) return Optional.of("the PostgreSQL server cannot be reached");
        if (state.equals("55000") && message.contains("accepting connections")) {
            return Optional.of("the PostgreSQL database is not accepting connections");
        }
        if (state.startsWith("57")) return Optional.of("the PostgreSQL server is shutting down or refused the session");
        if (state.startsWith("53")) return Optional.of("the PostgreSQL server is out of resources (disk full or too many connections)");
        if (state.startsWith("28") || state.equals("42501")) return Optional.of("PostgreSQL refused access to Firebreak's role");
        if (state.equals("25006")) return Optional.of("the PostgreSQL database is read-only");
        if (state.equals("3D000")) return Optional.of("the PostgreSQL database does not exist");
        if (state.equals("3F000") || state.equals("42P01")) return Optional.of("Firebreak's PostgreSQL schema or its tables are missing");
        return Optional.empty();
    }
}
