package dev.firebreak.probe.chain;

import dev.firebreak.store.Database;
import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The commitment_reminders and commitment_requests tables on every store: SQLite always, PostgreSQL where CI provides one. */
class CommitmentRemindersTest {

    private static final Instant NOW = Instant.parse("2026-12-02T18:00:00Z");
    private static final String UPPER = "0x" + "AB".repeat(32);
    private static final String LOWER = "0x" + "ab".repeat(32);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void a_root_in_another_letter_case_is_the_same_commitment_in_both_tables(String store) throws Exception {
        try (Database database = Database.open(TestDatabases.freshUrl(store, dir))) {
            CommitmentReminders reminders = new SignedTransactions(database.dataSource()).commitmentReminders();
            reminders.requested("manifestDispatcher", UPPER, "A-1", NOW);
            assertThat(reminders.request("manifestDispatcher", LOWER)).contains("A-1");

            assertThat(reminders.claim("manifestDispatcher", UPPER, "3", NOW, NOW)).isTrue();
            assertThat(reminders.reminded("manifestDispatcher", LOWER, "3")).as("claimed as typed, found as read").isTrue();
            assertThat(reminders.claim("manifestDispatcher", LOWER, "3", NOW, NOW)).as("no second reminder for the same root").isFalse();
            List<String> roots = database.jdbi().withHandle(h -> h.createQuery("SELECT root FROM commitment_reminders")
                    .mapTo(String.class).list());
            assertThat(roots).containsExactly(LOWER);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void of_claims_racing_on_one_store_exactly_one_wins_and_a_request_recorded_twice_is_kept_once(String store) throws Exception {
        try (Database database = Database.open(TestDatabases.freshUrl(store, dir))) {
            CommitmentReminders reminders = new SignedTransactions(database.dataSource()).commitmentReminders();
            int replicas = 8;
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            try (ExecutorService executor = Executors.newFixedThreadPool(replicas)) {
                for (int i = 0; i < replicas; i++) {
                    Callable<Boolean> claim = () -> {
                        start.await();
                        return reminders.claim("manifestDispatcher", LOWER, "4", NOW, NOW);
                    };
                    claims.add(executor.submit(claim));
                }
                start.countDown();
                int won = 0;
                for (Future<Boolean> claim : claims) won += claim.get() ? 1 : 0;
                assertThat(won).as("one replica posts the reminder").isEqualTo(1);
            }
            reminders.requested("manifestDispatcher", LOWER, "A-2", NOW);
            reminders.requested("manifestDispatcher", UPPER, "A-2", NOW.plusSeconds(5));
            long requests = database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM commitment_requests")
                    .mapTo(Long.class).one());
            assertThat(requests).isEqualTo(1L);
        }
    }
}
