package dev.firebreak.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On SQLite every user of the store takes its turn: a connection taken straight from the data source
 * (as the chain package's repositories do) holds back a Jdbi handle on another thread until it is
 * closed, and a handle opened inside it on the same thread is no deadlock.
 */
class InProcessTurnsTest {

    @TempDir
    Path folder;

    @Test
    void a_raw_connection_and_a_handle_take_turns_and_the_same_thread_re_enters() throws Exception {
        try (Database db = TestDatabases.sqliteIn(folder)) {
            AtomicReference<Thread> waiting = new AtomicReference<>();
            CompletableFuture<Integer> handle;
            try (Connection raw = db.dataSource().getConnection()) {
                int nested = db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
                assertThat(nested).as("re-entered on the same thread").isEqualTo(1);

                handle = CompletableFuture.supplyAsync(() -> {
                    waiting.set(Thread.currentThread());
                    return db.jdbi().withHandle(h -> h.createQuery("SELECT 2").mapTo(Integer.class).one());
                });
                while (!handle.isDone() && (waiting.get() == null || waiting.get().getState() != Thread.State.WAITING)) Thread.onSpinWait();
                assertThat(handle).as("waits for the raw connection's turn to end").isNotDone();
                assertThat(raw.isClosed()).isFalse();
            }
            assertThat(handle.get()).isEqualTo(2);
        }
    }

    @Test
    void closing_a_connection_twice_ends_its_turn_once() throws Exception {
        try (Database db = TestDatabases.sqliteIn(folder)) {
            Connection raw = db.dataSource().getConnection();
            raw.close();
            raw.close();
            assertThat(raw.isClosed()).isTrue();
            int other = CompletableFuture.supplyAsync(() -> db.jdbi().withHandle(h -> h.createQuery("SELECT 3").mapTo(Integer.class).one())).get();
            assertThat(other).isEqualTo(3);
        }
    }
}
