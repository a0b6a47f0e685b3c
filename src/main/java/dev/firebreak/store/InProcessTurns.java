package dev.firebreak.store;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A SQLite store's connections, one at a time in this process, in the order they were asked for
 * (a fair lock, re-entered by a connection opened inside another on the same thread). SQLite has
 * one writer, and a connection waiting for its write lock waits in the driver's native busy
 * handler, which holds a carrier thread of the virtual threads the commands run on; with a few of
 * those waiting, the one holding the lock may find no carrier to finish on, and everyone waits out
 * the busy timeout. Waiting here parks instead, and in turn. Every user of the store goes through
 * it: Jdbi and the repositories that use JDBC directly alike.
 */
final class InProcessTurns extends PoolConnections {

    private final ReentrantLock turn = new ReentrantLock(true);

    InProcessTurns(DataSource pool) {
        super(pool);
    }

    @Override
    public Connection getConnection() throws SQLException {
        turn.lock();
        Connection connection;
        try {
            connection = pool.getConnection();
        } catch (SQLException | RuntimeException e) {
            turn.unlock();
            throw e;
        }
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        if (!closed.compareAndSet(false, true)) return null;
                        try {
                            connection.close();
                        } finally {
                            if (turn.isHeldByCurrentThread()) turn.unlock();
                        }
                        return null;
                    }
                    if (method.getName().equals("isClosed") && method.getParameterCount() == 0 && closed.get()) return true;
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
