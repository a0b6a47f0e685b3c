package dev.firebreak.ha;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Leadership among replicas on one PostgreSQL store: a session-level advisory lock held on a
 * connection of its own. Whoever holds the lock leads; when the leader's process dies its
 * connection drops and PostgreSQL releases the lock, and the next {@link #poll} of a standby
 * takes it. The lock is keyed by the store's schema, so stores in other schemas of the same
 * database elect their own leaders. {@link #confirm} asks PostgreSQL, on the lock's own
 * connection, whether this session still holds it: a leader whose connection was cut (paused,
 * partitioned, terminated) gets {@code false} before it posts or acts.
 */
public final class AdvisoryLockLeadership implements Leadership {

    /** The first key of the two-key advisory lock: Firebreak's leadership. */
    static final int LOCK_CLASS = 0x46424c44; // "FBLD"
    /** How long a leader's session may stay idle before PostgreSQL ends it; well over the poll interval. */
    public static final java.time.Duration IDLE_LIMIT = java.time.Duration.ofSeconds(10);
    /** How often replicas poll: a standby takes over within this plus {@link #IDLE_LIMIT}, under 15 s. */
    public static final java.time.Duration POLL_EVERY = java.time.Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(AdvisoryLockLeadership.class);

    /** Opens a connection outside any pool (the lock lives exactly as long as that session). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /** Told when this process becomes the leader and when it stops being one. */
    public interface Listener {
        void elected();

        void deposed();
    }

    private final Connections connections;
    private final Listener listener;
    private Connection session;
    private volatile boolean leading;
    private volatile boolean deposed;

    public AdvisoryLockLeadership(Connections connections, Listener listener) {
        this.connections = connections;
        this.listener = listener;
    }

    /**
     * One round: a standby tries to take the lock, a leader checks that it still holds it. Call it
     * every few seconds; the takeover time is at most this interval plus the time PostgreSQL takes
     * to notice the old leader's connection has gone.
     */
    public synchronized void poll() {
        if (deposed) return;   // what it ran was stopped for good: it leads again only as a new process
        if (leading) {
            if (!confirm()) {
                leading = false;
                deposed = true;
                log.error("This replica lost the leadership (its connection to PostgreSQL broke); it stops acting and "
                        + "/health answers 503 until it is restarted, as a standby.");
                closeSession();
                listener.deposed();
            }
            return;
        }
        try {
            if (session == null || session.isClosed()) session = open();
            try (PreparedStatement take = session.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(current_schema()))")) {
                take.setInt(1, LOCK_CLASS);
                try (ResultSet rs = take.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        leading = true;
                        log.info("This replica is now the leader.");
                        listener.elected();
                    }
                }
            }
        } catch (SQLException e) {
            log.warn("Cannot reach PostgreSQL to take the leadership ({}); standing by and trying again.", e.getMessage());
            closeSession();
        }
    }

    /**
     * A session that PostgreSQL ends when it stays idle longer than {@link #IDLE_LIMIT}: a leader
     * polls every few seconds, so only a paused or cut-off leader is idle that long, and ending its
     * session frees the lock for a standby (PostgreSQL 14 and later; older servers rely on TCP).
     */
    private Connection open() throws SQLException {
        Connection connection = connections.open();
        try (var statement = connection.createStatement()) {
            statement.execute("SET idle_session_timeout = '" + IDLE_LIMIT.toMillis() + "ms'");
        } catch (SQLException e) {
            log.warn("PostgreSQL does not end idle sessions ({}); a paused leader keeps the lock until its connection drops.",
                    e.getMessage());
        }
        return connection;
    }

    @Override
    public boolean leading() {
        return leading;
    }

    /** Whether this process led and lost the leadership: it has stopped acting and wants a restart. */
    public boolean deposed() {
        return deposed;
    }

    @Override
    public synchronized boolean confirm() {
        if (!leading || session == null) return false;
        try (PreparedStatement held = session.prepareStatement("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                + "AND pid = pg_backend_pid() AND granted AND classid = ?::int8::oid "
                + "AND objid = (hashtext(current_schema())::int8 & 4294967295)::oid AND objsubid = 2")) {
            held.setInt(1, LOCK_CLASS);
            held.setQueryTimeout(2);
            try (ResultSet rs = held.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        boolean was = leading;
        leading = false;
        if (was && session != null) {
            // released here and now: closing the connection alone leaves the server to notice it a moment later
            try (PreparedStatement release = session.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(current_schema()))")) {
                release.setInt(1, LOCK_CLASS);
                release.setQueryTimeout(2);
                release.executeQuery().close();
            } catch (SQLException e) {
                log.debug("Releasing the leadership lock failed ({}); ending the session releases it.", e.getMessage());
            }
        }
        closeSession(); // ending the session releases the lock too
        if (was) log.info("This replica released the leadership.");
    }

    private void closeSession() {
        if (session == null) return;
        try {
            session.close();
        } catch (SQLException e) {
            log.debug("Closing the leadership connection failed: {}", e.getMessage());
        }
        session = null;
    }
}
