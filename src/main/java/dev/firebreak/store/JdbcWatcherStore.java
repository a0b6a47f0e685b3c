package dev.firebreak.store;

import dev.firebreak.watch.Level;
import dev.firebreak.watch.WatcherState;
import dev.firebreak.watch.WatcherStore;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The watcher_state table. */
public final class JdbcWatcherStore implements WatcherStore {

    private final Database db;

    public JdbcWatcherStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<WatcherState> state(String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT name, last_run_at, episode_start, raised, last_raised_at, baseline, "
                        + "unreachable_since FROM watcher_state WHERE name = :n")
                .bind("n", name)
                .map((rs, ctx) -> new WatcherState(rs.getString(1), Times.parse(rs.getString(2)), Times.parse(rs.getString(3)),
                        rs.getString(4).isEmpty() ? java.util.List.of()
                                : Arrays.stream(rs.getString(4).split(",")).map(Level::valueOf).toList(),
                        Times.parse(rs.getString(5)), rs.getString(6), Times.parse(rs.getString(7))))
                .findOne());
    }

    @Override
    public void save(WatcherState state) {
        String raised = state.raised().stream().map(Level::name).collect(Collectors.joining(","));
        db.jdbi().useTransaction(h -> {
            int updated = h.createUpdate("UPDATE watcher_state SET last_run_at = :run, episode_start = :episode, raised = :raised, "
                            + "last_raised_at = :lastRaised, baseline = :baseline, unreachable_since = :unreachable WHERE name = :n")
                    .bind("run", Times.format(state.lastRunAt())).bind("episode", Times.format(state.episodeStart()))
                    .bind("raised", raised).bind("lastRaised", Times.format(state.lastRaisedAt()))
                    .bind("baseline", state.baseline()).bind("unreachable", Times.format(state.unreachableSince()))
                    .bind("n", state.name()).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO watcher_state (name, last_run_at, episode_start, raised, last_raised_at, baseline, "
                                + "unreachable_since) VALUES (:n, :run, :episode, :raised, :lastRaised, :baseline, :unreachable)")
                        .bind("run", Times.format(state.lastRunAt())).bind("episode", Times.format(state.episodeStart()))
                        .bind("raised", raised).bind("lastRaised", Times.format(state.lastRaisedAt()))
                        .bind("baseline", state.baseline()).bind("unreachable", Times.format(state.unreachableSince()))
                        .bind("n", state.name()).execute();
            }
        });
    }

    @Override
    public Optional<Long> cursor(String name) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT through_block FROM watcher_cursors WHERE name = :n")
                .bind("n", name).mapTo(Long.class).findOne());
    }

    @Override
    public boolean advanceCursor(String name, Optional<Long> expected, long through, java.time.Instant at) {
        return db.jdbi().withHandle(h -> expected.isEmpty()
                ? h.createUpdate("INSERT INTO watcher_cursors (name, through_block, updated_at) VALUES (:n, :through, :at) "
                        + "ON CONFLICT (name) DO NOTHING")
                        .bind("n", name).bind("through", through).bind("at", Times.format(at)).execute() == 1
                : h.createUpdate("UPDATE watcher_cursors SET through_block = :through, updated_at = :at "
                        + "WHERE name = :n AND through_block = :expected")
                        .bind("n", name).bind("through", through).bind("at", Times.format(at)).bind("expected", expected.get())
                        .execute() == 1);
    }
}
