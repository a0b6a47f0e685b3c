package dev.firebreak.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A PostgreSQL store's connections: the pool's, with its wait (a few seconds, so that a store that
 * is down is reported promptly) taken again while the store answers and every connection is in
 * use, up to {@link #BUSY_WAIT}. A burst of commands beyond what eight connections serve at once
 * (thousands queued in a few seconds) had some wait longer than the pool's timeout for their turn,
 * and they were answered "the store is unreachable" by a store that was only busy. The pool tells
 * the two apart: when it cannot connect, its timeout carries the driver's failure as the cause.
 */
final class TurnsWhileBusy extends PoolConnections {

    static final Duration BUSY_WAIT = Duration.ofSeconds(60);

    private final HikariDataSource hikari;
    private final AtomicLong busyWaits = new AtomicLong();

    TurnsWhileBusy(HikariDataSource pool) {
        super(pool);
        this.hikari = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        while (true) {
            try {
                return pool.getConnection();
            } catch (SQLTransientConnectionException e) {
                if (!busy(e) || System.nanoTime() - deadline >= 0) throw e;
                busyWaits.incrementAndGet();
            }
        }
    }

    /** How many times a wait for a connection ran out with all of them in use and was taken again. */
    long busyWaits() {
        return busyWaits.get();
    }

    /** The pool's wait ran out with connections open and no failure to open more: they were all in use. */
    private boolean busy(SQLTransientConnectionException timeout) {
        HikariPoolMXBean stats = hikari.getHikariPoolMXBean();
        return timeout.getCause() == null && stats != null && stats.getTotalConnections() > 0;
    }

    /** Every connection the pool may open is open and in use, and others wait for one. */
    static boolean allInUse(HikariDataSource pool) {
        HikariPoolMXBean stats = pool.getHikariPoolMXBean();
        return stats != null && stats.getActiveConnections() >= pool.getMaximumPoolSize() && stats.getThreadsAwaitingConnection() > 0;
    }
}
