package dev.firebreak.ha;

/**
 * Which of the replicas on one store is the active one. Only the leader runs the timers, outbox
 * delivery, recovery and the chat connections that receive events; the others stand by.
 */
public interface Leadership extends AutoCloseable {

    /** Whether this process was leading when last checked (cheap; for readiness and metrics). */
    boolean leading();

    /**
     * The fencing check, made before every post and every action: asks the store whether this
     * process still holds the leadership. A deposed leader gets {@code false} and must not act.
     */
    boolean confirm();

    /** Releases the leadership (if held) so a standby can take over at once. */
    @Override
    void close();

    /** The leadership of a process that is the only one on its store (SQLite, held by a {@link LockFile}). */
    static Leadership sole() {
        return new Leadership() {
            private volatile boolean open = true;

            @Override
            public boolean leading() {
                return open;
            }

            @Override
            public boolean confirm() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }
}
