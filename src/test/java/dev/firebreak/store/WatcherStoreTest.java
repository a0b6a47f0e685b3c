package dev.firebreak.store;

import dev.firebreak.watch.Level;
import dev.firebreak.watch.WatcherState;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A watcher's state reads back as it was saved, on SQLite and on PostgreSQL, and a second save replaces the first. */
class WatcherStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T03:00:00.123456Z");

    @TempDir
    Path folder;

    static List<String> stores() {
        return TestDatabases.kinds();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_state_reads_back_as_saved_and_is_replaced_by_the_next(String kind) {
        try (Database db = Database.open(TestDatabases.freshUrl(kind, folder))) {
            JdbcWatcherStore store = new JdbcWatcherStore(db);
            assertThat(store.state("batcher-balance")).isEmpty();

            WatcherState alerting = new WatcherState("batcher-balance", T0, T0.minusSeconds(60), List.of(Level.WARNING, Level.CRITICAL),
                    T0.minusSeconds(30), "batcher 0.5 ETH", T0.minusSeconds(5));
            store.save(alerting);
            assertThat(store.state("batcher-balance")).contains(alerting);

            WatcherState recovered = new WatcherState("batcher-balance", T0.plusSeconds(60), null, List.of(), T0.minusSeconds(30),
                    null, null);
            store.save(recovered);
            assertThat(store.state("batcher-balance")).contains(recovered);
            assertThat(recovered.level()).isEqualTo(Level.OK);
            assertThat(alerting.level()).isEqualTo(Level.CRITICAL);
        }
    }
}
