package dev.firebreak.watch;

import java.util.Optional;

/** Where each watcher's state is kept, so a restart neither forgets an alert nor raises it again. */
public interface WatcherStore {

    Optional<WatcherState> state(String name);

    void save(WatcherState state);
}
