package dev.firebreak.watch;

import dev.firebreak.app.Firebreak;
import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.incident.Incident;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcIncidentRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real engine on SQLite with the console as its chat platform, for watcher tests: the clock
 * is moved and {@link #tick()} runs the clock-driven jobs as the ticker would.
 */
final class WatcherHarness implements AutoCloseable {

    final MutableClock clock;
    final Database db;
    private final FirebreakConfig config;
    private final ByteArrayOutputStream posted = new ByteArrayOutputStream();
    private Firebreak firebreak;

    WatcherHarness(FirebreakConfig config, Path dataDir, MutableClock clock) {
        this.config = config;
        this.clock = clock;
        this.db = Database.open("jdbc:sqlite:" + dataDir.resolve("firebreak.db"));
        this.firebreak = assemble();
    }

    private Firebreak assemble() {
        ConsolePlatform platform = new ConsolePlatform(new PrintStream(posted, true, StandardCharsets.UTF_8), 0);
        return Firebreak.assemble(config, db, clock, List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)),
                new SimpleMeterRegistry());
    }

    static WatchersConfig watchers(WatchersConfig.Watcher... watchers) {
        return new WatchersConfig(List.of(watchers));
    }

    static FirebreakConfig with(FirebreakConfig config, WatchersConfig watchers) {
        // the first snapshot posts on its own thread; these tests count what the watchers post
        return config.withWatchers(watchers).withSnapshot(SnapshotConfig.none());
    }

    /** Runs the clock-driven jobs once, after moving the clock by {@code by}. */
    void tickAfter(Duration by) {
        clock.advance(by);
        firebreak.tick();
    }

    /** What the bot posted since the last call. */
    String posts() {
        firebreak.outbox().deliverDue();
        String text = posted.toString(StandardCharsets.UTF_8);
        posted.reset();
        return text;
    }

    List<Incident> incidents() {
        return new JdbcIncidentRepository(db).open();
    }

    Firebreak engine() {
        return firebreak;
    }

    /** Stops the engine and starts a new one on the same store, as a restart does. */
    void restart() {
        posts();
        firebreak.close();
        firebreak = assemble();
    }

    @Override
    public void close() {
        firebreak.close();
        db.close();
    }
}
