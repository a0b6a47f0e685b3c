package dev.firebreak.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQLite store runs with WAL, a busy timeout and write-locking transactions, so concurrent writers queue. */
class SqliteSettingsTest {

    @Test
    void the_store_connections_use_wal_a_busy_timeout_and_foreign_keys(@TempDir Path dir) {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("store.db"))) {
            assertThat(pragma(db, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(db, "busy_timeout")).isEqualTo("10000");
            assertThat(pragma(db, "foreign_keys")).isEqualTo("1");
        }
    }

    @Test
    void a_read_then_write_transaction_waits_for_another_writer_instead_of_failing(@TempDir Path dir) throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + dir.resolve("store.db"));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE counter (n INTEGER NOT NULL)"));
            db.jdbi().useHandle(h -> h.execute("INSERT INTO counter (n) VALUES (0)"));
            CountDownLatch firstRead = new CountDownLatch(1);
            CountDownLatch secondWrote = new CountDownLatch(1);
            Future<?> first = threads.submit(() -> {
                db.jdbi().useTransaction(h -> {
                    int n = h.createQuery("SELECT n FROM counter").mapTo(Integer.class).one();
                    firstRead.countDown();
                    secondWrote.await(300, TimeUnit.MILLISECONDS);
                    h.execute("UPDATE counter SET n = ?", n + 1);
                });
                return null;
            });
            firstRead.await(5, TimeUnit.SECONDS);
            Future<?> second = threads.submit(() -> {
                db.jdbi().useTransaction(h -> {
                    int n = h.createQuery("SELECT n FROM counter").mapTo(Integer.class).one();
                    h.execute("UPDATE counter SET n = ?", n + 1);
                });
                secondWrote.countDown();
            });
            first.get(20, TimeUnit.SECONDS);
            second.get(20, TimeUnit.SECONDS);
            int n = db.jdbi().withHandle(h -> h.createQuery("SELECT n FROM counter").mapTo(Integer.class).one());
            assertThat(n).isEqualTo(2);
        }
    }

    private static String pragma(Database db, String name) {
        return db.jdbi().withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
    }
}
