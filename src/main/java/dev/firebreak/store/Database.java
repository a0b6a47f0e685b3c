package dev.firebreak.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.firebreak.kernel.StoreUnavailable;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleCallbackDecorator;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Firebreak's store: SQLite by default (a file under {@code ./data/}), or any SQLite or
 * PostgreSQL JDBC URL. Migrations run at start-up. One bot process owns the store: ids are
 * allocated in process, and execution guards are compare-and-set updates in the database. A store
 * that cannot be used (unreachable, locked, full, read-only, schema gone) fails every call with
 * {@link StoreUnavailable}.
 */
public final class Database implements AutoCloseable {

    private static final Pattern CREDENTIALS = Pattern.compile("(?i)(password|user)=[^&;]*");
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;
    /** Below this much free space next to the SQLite file the store counts as full for {@code /ready}. */
    private static final long SQLITE_MIN_FREE_BYTES = 1024 * 1024;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Map<String, AtomicLong> ids = new ConcurrentHashMap<>();
    private final boolean postgres;
    /** The SQLite file, or null (PostgreSQL, in-memory SQLite). */
    private final Path sqliteFile;

    private Database(HikariDataSource dataSource, boolean postgres, Path sqliteFile) {
        this.dataSource = dataSource;
        this.postgres = postgres;
        this.sqliteFile = sqliteFile;
        this.jdbi = Jdbi.create(() -> {
            try {
                return dataSource.getConnection();
            } catch (java.sql.SQLException | RuntimeException e) {
                throw new StoreUnavailable(StoreFailures.unavailability(e).orElse("no database connection could be opened"), e);
            }
        }).setHandleCallbackDecorator(new HandleCallbackDecorator() {
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
            throw new IllegalStateException("cannot open the store at " + redact(url) + ": " + rootMessage(e));
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new Database(dataSource, postgres, postgres ? null : sqliteFile(url));
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether the store can be read and written now (for {@code /ready}); see {@link #unavailability()}. */
    public boolean reachable() {
        Optional<String> problem = unavailability();
        problem.ifPresent(reason -> org.slf4j.LoggerFactory.getLogger(Database.class).warn("The store is not ready: {}", reason));
        return problem.isEmpty();
    }

    /**
     * Why the store cannot be written now, without waiting: no connection, the SQLite file locked by
     * another connection, read-only or its disk full; PostgreSQL read-only or its tables gone.
     */
    public Optional<String> unavailability() {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            if (postgres) statement.setQueryTimeout(2);   // (SQLite's driver would wait that long for a lock)
            if (!postgres) {
                long busyTimeout;
                try (var rows = statement.executeQuery("PRAGMA busy_timeout")) {
                    busyTimeout = rows.next() ? rows.getLong(1) : SQLITE_BUSY_TIMEOUT_MILLIS;
                }
                statement.execute("PRAGMA busy_timeout = 0");   // a locked store is reported at once, not waited for
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

    /** The next id for a table (one bot process owns the store). */
    public long nextId(String table) {
        return ids.computeIfAbsent(table, t -> new AtomicLong(
                jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(" + idColumn(t) + "), 0) FROM " + t)
                        .mapTo(Long.class).one()))).incrementAndGet();
    }

    /** Forgets the next id of a table after an insert failed, so the number it was given is used again. */
    public void forgetNextId(String table) {
        ids.remove(table);
    }

    /** The URL with user names and passwords removed, for messages and logs. */
    public static String redact(String url) {
        return CREDENTIALS.matcher(url.replaceAll("//[^/@]*@", "//****@")).replaceAll("$1=****");
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String idColumn(String table) {
        return switch (table) {
            case "incidents" -> "number";
            case "audit_log" -> "seq";
            default -> "id";
        };
    }

    /** The SQLite file of a {@code jdbc:sqlite:} URL, or null for an in-memory or {@code file:} URL. */
    private static Path sqliteFile(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) return null;
        return Path.of(path);
    }

    private static void createParentFolder(String url) {
        Path file = sqliteFile(url);
        if (file == null) return;
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the store's folder " + parent + ": " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return redact(String.valueOf(t.getMessage()));
    }
}
