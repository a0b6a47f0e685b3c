package dev.firebreak.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Firebreak's store: SQLite by default (a file under {@code ./data/}), or any SQLite or
 * PostgreSQL JDBC URL. Migrations run at start-up. One bot process owns the store: ids are
 * allocated in process, and execution guards are compare-and-set updates in the database.
 */
public final class Database implements AutoCloseable {

    private static final Pattern CREDENTIALS = Pattern.compile("(?i)(password|user)=[^&;]*");
    /** A password in a JDBC URL: {@code //user:PASSWORD@host} or {@code password=PASSWORD}. */
    private static final Pattern PASSWORDS = Pattern.compile("(?i)//[^/@:]*:([^/@]*)@|password=([^&;]*)");

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
            throw new IllegalStateException("cannot open the store at " + redact(url) + ": " + rootMessage(e, url));
        }
        try {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw new IllegalStateException("cannot migrate the store at " + redact(url) + ": " + rootMessage(e, url));
        }
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

    private static void createParentFolder(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) return;
        Path parent = Path.of(path).toAbsolutePath().getParent();
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
