package dev.firebreak.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Jdbi;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Firebreak's store: SQLite by default (a file under {@code ./data/}), or any SQLite or
 * PostgreSQL JDBC URL. Migrations run at start-up, from {@code db/migration} and, where the two
 * databases need different SQL, {@code db/sqlite} or {@code db/postgresql}. Ids are assigned by
 * the database as rows are inserted, and execution guards are compare-and-set updates in the
 * database, so nothing depends on which process or connection writes.
 */
public final class Database implements AutoCloseable {

    private static final Pattern CREDENTIALS = Pattern.compile("(?i)(password|user)=[^&;]*");

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

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
        migrations(url).load().migrate();
        return new Database(dataSource);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A connection of its own, outside the pool, for what must hold a session (the leader's advisory lock). */
    public java.sql.Connection dedicatedConnection() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(dataSource.getJdbcUrl());
    }

    public boolean postgres() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    /** The SQLite file of this store, if it is one. */
    public Optional<Path> sqliteFile() {
        return sqliteFile(dataSource.getJdbcUrl());
    }

    /** Whether a connection can be had and answers within two seconds (for {@code /ready}). */
    public boolean reachable() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (java.sql.SQLException | RuntimeException e) {
            return false;
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
        dataSource.close();
    }

    /**
     * The migrations for the store at {@code url}. They run over connections of their own, not the
     * pool's: on those SQLite does not enforce foreign keys, which is how SQLite says to rebuild a
     * table that other tables refer to.
     */
    static FluentConfiguration migrations(String url) {
        boolean postgres = url.startsWith("jdbc:postgresql:");
        return Flyway.configure().dataSource(url, null, null)
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

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return redact(String.valueOf(t.getMessage()));
    }
}
