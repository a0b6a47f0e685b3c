package dev.firebreak.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.firebreak.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** On PostgreSQL a store that is only busy is waited for past the pool's timeout, and readiness says it answers. */
class TurnsWhileBusyTest {

    @TempDir
    Path folder;

    @Test
    void with_every_connection_in_use_a_handle_waits_its_turn_past_the_pools_timeout() throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl("postgresql", folder))) {
            List<Connection> held = new ArrayList<>();
            int size = db.dataSource().unwrap(HikariDataSource.class).getMaximumPoolSize();
            for (int i = 0; i < size; i++) held.add(db.dataSource().getConnection());
            try {
                CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
                        () -> db.jdbi().withHandle(h -> h.createQuery("SELECT 7").mapTo(Integer.class).one()));
                TurnsWhileBusy turns = db.dataSource().unwrap(TurnsWhileBusy.class);
                Eventually.until(() -> turns.busyWaits() > 0 || waiting.isDone(), Duration.ofSeconds(30),
                        "for the pool's own wait to run out");
                assertThat(waiting).as("still waiting after the pool's timeout, not failed").isNotDone();
                // readiness does not queue behind the commands (it would time out and say unreachable): the store answers
                assertThat(db.unavailability()).as("readiness while every connection is in use").isEmpty();
                held.removeFirst().close();
                assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(7);
            } finally {
                for (Connection connection : held) connection.close();
            }
        }
    }
}
