package dev.firebreak.watch;

import java.time.Instant;
import java.util.Optional;

/** Where each watcher's state is kept, so a restart neither forgets an alert nor raises it again. */
public interface WatcherStore {

    Optional<WatcherState> state(String name);

    void save(WatcherState state);

    /** The block a watcher of events has read through; empty before its first read. */
    Optional<Long> cursor(String name);

    /**
     * Moves a watcher's cursor from {@code expected} (empty: it has none yet) to {@code through},
     * only if it still is at {@code expected}; false when another process moved it first.
     */
    boolean advanceCursor(String name, Optional<Long> expected, long through, Instant at);
}
