package dev.firebreak.watch;

import java.time.Instant;
import java.util.List;

/**
 * What a watcher remembers between runs and across restarts.
 *
 * @param lastRunAt        when it last ran, or null before its first run
 * @param episodeStart     when the alerts now firing were first raised, or null while all is well
 * @param raised           the levels raised in this episode, each its own alert group
 * @param lastRaisedAt     when it last raised an alert, for the cooldown
 * @param baseline         the reading a {@code changed} watcher compares against, or null before its first reading
 * @param unreachableSince since when its target cannot be reached, or null while it can
 */
public record WatcherState(String name, Instant lastRunAt, Instant episodeStart, List<Level> raised, Instant lastRaisedAt,
                           String baseline, Instant unreachableSince) {

    public WatcherState {
        raised = raised == null ? List.of() : List.copyOf(raised);
    }

    static WatcherState fresh(String name) {
        return new WatcherState(name, null, null, List.of(), null, null, null);
    }

    /** The worst level raised in this episode. */
    public Level level() {
        return raised.stream().max(Enum::compareTo).orElse(Level.OK);
    }

    WatcherState ranAt(Instant at) {
        return new WatcherState(name, at, episodeStart, raised, lastRaisedAt, baseline, unreachableSince);
    }

    WatcherState raisedAt(Level level, Instant at) {
        List<Level> levels = new java.util.ArrayList<>(raised);
        levels.add(level);
        return new WatcherState(name, lastRunAt, episodeStart == null ? at : episodeStart, levels, at, baseline, unreachableSince);
    }

    /** A watcher of events raised alerts: no episode to resolve, only when it last alerted. */
    WatcherState alertedAt(Instant at) {
        return new WatcherState(name, lastRunAt, episodeStart, raised, at, baseline, unreachableSince);
    }

    WatcherState recovered() {
        return new WatcherState(name, lastRunAt, null, List.of(), lastRaisedAt, baseline, unreachableSince);
    }

    WatcherState withBaseline(String reading) {
        return new WatcherState(name, lastRunAt, episodeStart, raised, lastRaisedAt, reading, unreachableSince);
    }

    WatcherState unreachable(Instant since) {
        return new WatcherState(name, lastRunAt, episodeStart, raised, lastRaisedAt, baseline, since);
    }
}
