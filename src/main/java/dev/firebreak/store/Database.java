package dev.firebreak.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.firebreak.kernel.StoreUnavailable;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleCallbackDecorator;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Firebreak's store: SQLite by default (a file under {@code ./data/}), or any SQLite or
 * PostgreSQL JDBC URL. Migrations run at start-up, from {@code db/migration} and, where the two
 * databases need different SQL, {@code db/sqlite} or {@code db/postgresql}. Ids are assigned by
 * the database as rows are inserted, and execution guards are compare-and-set updates in the
 * database, so nothing depends on which process or connection writes. A store that cannot be
 * used (unreachable, locked, full, read-only, schema gone) fails every call with
 * {@link StoreUnavailable}.
 */
public final class Database implements AutoCloseable {

    private static final Pattern CREDENTIALS = Pattern.compile("(?i)(password|user)=[^&;]*");
    /** A password in a JDBC URL: {@code //user:PASSWORD@host} or {@code password=PASSWORD}. */
    private static final Pattern PASSWORDS = Pattern.compile("(?i)//[^/@:]*:([^/@]*)@|password=([^&;]*)");
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;
    /** How long {@link #unavailability()} waits for the SQLite write lock before it calls the store locked. */
    private static final long READINESS_LOCK_WAIT_MILLIS = 500;
    /** Below this much free space next to the SQLite file the store counts as full for {@code /ready}. */
    private static final long SQLITE_MIN_FREE_BYTES = 1024 * 1024;

    private final HikariDataSource pool;
    /**
     * What every user of the store gets connections from: the pool, on SQLite one at a time
     * ({@link InProcessTurns}), on PostgreSQL waiting on while the store is only busy ({@link TurnsWhileBusy}).
     */
    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final boolean postgres;
    /** The SQLite file, or null (PostgreSQL, in-memory SQLite). */
    private final Path sqliteFile;

    private Database(HikariDataSource pool, boolean postgres, Path sqliteFile) {
        this.pool = pool;
        this.dataSource = postgres ? new TurnsWhileBusy(pool) : new InProcessTurns(pool);
        this.postgres = postgres;
        this.sqliteFile = sqliteFile;
        this.jdbi = Jdbi.create(() -> {
                    try {
                        return dataSource.getConnection();
                    } catch (java.sql.SQLException | RuntimeException e) {
                        throw new StoreUnavailable(StoreFailures.unavailability(e).orElse("no database connection could be opened"), e);
                    }
                })
                .setHandleCallbackDecorator(new HandleCallbackDecorator() {
            @Override
            public <R, X extends Exception> HandleCallback<R, X> decorate(HandleCallback<R, X> callback) {
                return handle -> {
                    try {
                        return callback.withHandle(handle);
                    } catch (RuntimeException e) {
                        throw StoreFailures.translate(e);
                    }
                };
            }
        });
    }

    /** Opens the store at {@code url}, creating the SQLite file's folder, and migrates it. */
    public static Database open(String url) {
        boolean postgres = url.startsWith("jdbc:postgresql:");
        if (!postgres && !url.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("FIREBREAK_DB_URL must be a jdbc:sqlite: or jdbc:postgresql: URL, got "
                    + redact(url));
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("firebreak-store");
        config.setConnectionTimeout(5_000);
        if (postgres) {
            config.setMaximumPoolSize(8);
        } else {
            createParentFolder(url);
            // One writer at a time; transactions take the write lock at BEGIN, so concurrent
            // approvals queue (up to the busy timeout) instead of failing with SQLITE_BUSY when a
            // read-then-write transaction cannot upgrade its lock. These are the driver's
            // connection properties (pragma names), which is what Hikari passes with a JDBC URL.
            config.setMaximumPoolSize(4);
            config.addDataSourceProperty("journal_mode", "WAL");
            if (!url.contains("busy_timeout=")) {   // a URL's own busy_timeout wins
                config.addDataSourceProperty("busy_timeout", String.valueOf(SQLITE_BUSY_TIMEOUT_MILLIS));
            }
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.addDataSourceProperty("foreign_keys", "true");
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the store at " + redact(url) + ": " + rootMessage(e, url));
        }
        try {
            migrations(url).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new IllegalStateException("cannot migrate the store at " + redact(url) + ": " + rootMessage(e, url));
        }
        return new Database(dataSource, postgres, sqliteFile(url).orElse(null));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A connection of its own, outside the pool, for what must hold a session (the leader's advisory lock). */
    public java.sql.Connection dedicatedConnection() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(pool.getJdbcUrl());
    }

    public boolean postgres() {
        return postgres;
    }

    /** The SQLite file of this store, if it is one. */
    public Optional<Path> sqliteFile() {
        return Optional.ofNullable(sqliteFile);
    }

    /** Whether the store can be read and written now (for {@code /ready}); see {@link #unavailability()}. */
    public boolean reachable() {
        Optional<String> problem = unavailability();
        problem.ifPresent(reason -> org.slf4j.LoggerFactory.getLogger(Database.class).warn("The store is not ready: {}", reason));
        return problem.isEmpty();
    }

    /**
     * Why the store cannot be written now, waiting at most half a second: no connection, the SQLite file locked by
     * another connection, read-only or its disk full; PostgreSQL read-only or its tables gone.
     */
    public Optional<String> unavailability() {
        // readiness and the store gauge do not queue behind commands: every connection in use means the store answers
        if (postgres && TurnsWhileBusy.allInUse(pool)) return Optional.empty();
        try (var connection = (postgres ? pool : dataSource).getConnection(); var statement = connection.createStatement()) {
            if (postgres) statement.setQueryTimeout(2);   // (SQLite's driver would wait that long for a lock)
            if (!postgres) {
                long busyTimeout;
                try (var rows = statement.executeQuery("PRAGMA busy_timeout")) {
                    busyTimeout = rows.next() ? rows.getLong(1) : SQLITE_BUSY_TIMEOUT_MILLIS;
                }
                // a write of this process in flight is waited for a moment; a store another holds locked is still reported promptly
                statement.execute("PRAGMA busy_timeout = " + Math.min(busyTimeout, READINESS_LOCK_WAIT_MILLIS));
                try {
                    statement.execute("BEGIN IMMEDIATE");
                    statement.execute("ROLLBACK");
                } finally {
                    statement.execute("PRAGMA busy_timeout = " + busyTimeout);
                }
                Path folder = sqliteFile == null ? null : sqliteFile.toAbsolutePath().getParent();
                if (folder != null && Files.getFileStore(folder).getUsableSpace() < SQLITE_MIN_FREE_BYTES) {
                    return Optional.of("the disk holding the SQLite database is full");
                }
            } else {
                try (var rows = statement.executeQuery("SELECT current_setting('transaction_read_only')")) {
                    if (rows.next() && "on".equals(rows.getString(1))) return Optional.of("the PostgreSQL database is read-only");
                }
                statement.executeQuery("SELECT 1 FROM incidents WHERE 1 = 0").close();
            }
            return Optional.empty();
        } catch (java.sql.SQLException | java.io.IOException | RuntimeException e) {
            return Optional.of(StoreFailures.unavailability(e).orElse("the store does not answer (" + e.getClass().getSimpleName() + ")"));
        }
    }

    /**
     * After the row with the highest id of {@code table} was removed, lets the database give that
     * id out again (numbers people see, such as incident numbers, must not skip). Runs in the
     * caller's transaction; on PostgreSQL it waits for inserts in flight, so none is handed an id twice.
     */
    void reuseRemovedIds(Handle transaction, String table, String column) {
        if (postgres) {
            transaction.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
            transaction.createQuery("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), COALESCE(MAX("
                    + column + "), 0) + 1, false) FROM " + table).mapTo(Long.class).one();
        } else {
            transaction.execute("UPDATE sqlite_sequence SET seq = (SELECT COALESCE(MAX(" + column + "), 0) FROM " + table
                    + ") WHERE name = '" + table + "'");
        }
    }

    /** Whether a statement failed because a row with the same key exists (PostgreSQL's unique_violation). */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) return true;
        }
        return false;
    }

    /** The URL with user names and passwords removed, for messages and logs. */
    public static String redact(String url) {
        return CREDENTIALS.matcher(url.replaceAll("//[^/@]*@", "//****@")).replaceAll("$1=****");
    }

    @Override
    public void close() {
        pool.close();
    }

    /**
     * The migrations for the store at {@code url}. They run over connections of their own, not the
     * pool's: on those SQLite does not enforce foreign keys, which is how SQLite says to rebuild a
     * table that other tables refer to.
     */
    static FluentConfiguration migrations(String url) {
        boolean postgres = url.startsWith("jdbc:postgresql:");
        return Flyway.configure().dataSource(url, null, null)
                .outputQueryResults(false) // a migration's SELECT setval(...) would print its result table to stdout
                .locations("classpath:db/migration", postgres ? "classpath:db/postgresql" : "classpath:db/sqlite");
    }

    /** The file of a {@code jdbc:sqlite:} store, if the URL names one (not {@code :memory:}, not another database). */
    public static Optional<Path> sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:")) return Optional.empty();
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) return Optional.empty();
        return Optional.of(Path.of(path));
    }

    private static void createParentFolder(String url) {
        Path parent = sqliteFile(url).map(file -> file.toAbsolutePath().getParent()).orElse(null);
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the store's folder " + parent + ": " + e.getMessage());
        }
    }

    /** The innermost message, with the URL's passwords masked wherever the driver quoted them (e.g. {@code user:pw@host}). */
    private static String rootMessage(Throwable e, String url) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        String message = String.valueOf(t.getMessage());
        Matcher password = PASSWORDS.matcher(url);
        while (password.find()) {
            String value = password.group(1) != null ? password.group(1) : password.group(2);
            if (!value.isEmpty()) message = message.replace(value, "****");
        }
        return redact(message);
    }
}
