package dev.firebreak.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
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
 * allocated in process, and execution guards are compare-and-set updates in the database.
 */
public final class Database implements AutoCloseable {

    private static final Pattern CREDENTIALS = Pattern.compile("(?i)(password|user)=[^&;]*");

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Map<String, AtomicLong> ids = new ConcurrentHashMap<>();

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
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
            config.addDataSourceProperty("busy_timeout", "10000");
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
        return new Database(dataSource);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether a connection can be had and answers within two seconds (for {@code /ready}). */
    public boolean reachable() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (java.sql.SQLException | RuntimeException e) {
            return false;
        }
    }

    /** The next id for a table (one bot process owns the store). */
    public long nextId(String table) {
        return ids.computeIfAbsent(table, t -> new AtomicLong(
                jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(" + idColumn(t) + "), 0) FROM " + t)
                        .mapTo(Long.class).one()))).incrementAndGet();
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

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return redact(String.valueOf(t.getMessage()));
    }
}
