package dev.firebreak.store;

import dev.firebreak.schedule.CheckResult;
import dev.firebreak.schedule.ChecklistItem;
import dev.firebreak.schedule.ScheduleRun;
import dev.firebreak.schedule.ScheduleStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedules' state on SQLite and PostgreSQL: a slot is claimed once, also by two processes on one store. */
class ScheduleStoreTest {

    private static final Instant MONDAY = Instant.parse("2026-11-30T08:00:00Z");
    private static final Instant TUESDAY = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path folder;

    static List<String> stores() {
        return TestDatabases.kinds();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_slot_is_claimed_by_one_of_two_processes_and_a_paused_schedule_claims_none(String kind) {
        String url = TestDatabases.freshUrl(kind, folder);
        try (Database first = Database.open(url); Database second = Database.open(url)) {
            ScheduleStore one = new JdbcScheduleStore(first);
            ScheduleStore other = new JdbcScheduleStore(second);
            one.start("daily", MONDAY, MONDAY);
            other.start("daily", null, MONDAY);

            assertThat(other.state("daily")).hasValueSatisfying(s -> assertThat(s.lastSlot()).isEqualTo(MONDAY));
            assertThat(List.of(one.claim("daily", MONDAY, TUESDAY, TUESDAY), other.claim("daily", MONDAY, TUESDAY, TUESDAY)))
                    .containsExactlyInAnyOrder(true, false);

            one.setPaused("daily", true, TUESDAY, "alice", TUESDAY);
            assertThat(other.claim("daily", TUESDAY, TUESDAY.plusSeconds(86_400), TUESDAY.plusSeconds(86_400))).isFalse();
            one.setPaused("daily", false, TUESDAY.plusSeconds(86_400), "alice", TUESDAY.plusSeconds(86_400));
            assertThat(other.state("daily")).hasValueSatisfying(s -> {
                assertThat(s.paused()).isFalse();
                assertThat(s.lastSlot()).as("resumed after the newest slot").isEqualTo(TUESDAY.plusSeconds(86_400));
            });
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_runs_checks_and_checklist_are_kept_and_ticked_and_reminded_once(String kind) {
        try (Database db = Database.open(TestDatabases.freshUrl(kind, folder))) {
            ScheduleStore store = new JdbcScheduleStore(db);
            ScheduleRun run = store.add(new ScheduleRun(0, "daily", TUESDAY, "due", TUESDAY, "1 of 2 need attention", "output", null),
                    List.of(new CheckResult(1, "/diag health sequencer", CheckResult.Status.OK, "healthy"),
                            new CheckResult(2, "/diag metrics sequencer", CheckResult.Status.WARNING, "dead letters")),
                    List.of("Review the error logs", "Run VACUUM ANALYZE"));

            assertThat(store.latestRun("daily")).contains(run);
            assertThat(store.checks(run.id())).extracting(CheckResult::status)
                    .containsExactly(CheckResult.Status.OK, CheckResult.Status.WARNING);
            assertThat(store.tick(run.id(), 2, "alice", TUESDAY)).isTrue();
            assertThat(store.tick(run.id(), 2, "alice", TUESDAY)).as("once").isFalse();
            assertThat(store.checklist(run.id())).extracting(ChecklistItem::open).containsExactly(true, false);
            assertThat(store.markReminded(run.id(), TUESDAY)).isTrue();
            assertThat(store.markReminded(run.id(), TUESDAY)).isFalse();
            store.linkMessage(41, run.id());
            assertThat(store.runOfMessage(41)).contains(run.id());
            assertThat(store.runOfMessage(42)).isEmpty();
        }
    }
}
