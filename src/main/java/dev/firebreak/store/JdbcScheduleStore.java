package dev.firebreak.store;

import dev.firebreak.schedule.CheckResult;
import dev.firebreak.schedule.ChecklistItem;
import dev.firebreak.schedule.ScheduleRun;
import dev.firebreak.schedule.ScheduleStore;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The schedule_states, schedule_runs, schedule_run_checks, schedule_checklist_items and schedule_messages tables. */
public final class JdbcScheduleStore implements ScheduleStore {

    private static final String RUN_COLUMNS = "id, schedule, slot, run_trigger, started_at, summary, output, reminded_at";
    private static final RowMapper<ScheduleRun> RUN = (rs, ctx) -> new ScheduleRun(rs.getLong(1), rs.getString(2),
            Times.parse(rs.getString(3)), rs.getString(4), Times.parse(rs.getString(5)), rs.getString(6), rs.getString(7),
            Times.parse(rs.getString(8)));

    private final Database db;

    public JdbcScheduleStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<State> state(String schedule) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT schedule, last_slot, paused FROM schedule_states WHERE schedule = :s")
                .bind("s", schedule)
                .map((rs, ctx) -> new State(rs.getString(1), Times.parse(rs.getString(2)), rs.getBoolean(3))).findOne());
    }

    @Override
    public void start(String schedule, Instant baseline, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO schedule_states (schedule, last_slot, paused, changed_by, changed_at) "
                        + "VALUES (:s, :slot, FALSE, 'firebreak', :at) ON CONFLICT (schedule) DO NOTHING")
                .bind("s", schedule).bind("slot", Times.format(baseline)).bind("at", Times.format(at)).execute());
    }

    @Override
    public boolean claim(String schedule, Instant expected, Instant slot, Instant at) {
        return db.jdbi().withHandle(h -> {
            var update = h.createUpdate("UPDATE schedule_states SET last_slot = :slot, changed_by = 'firebreak', "
                            + "changed_at = :at WHERE schedule = :s AND paused = FALSE AND "
                            + (expected == null ? "last_slot IS NULL" : "last_slot = :expected"))
                    .bind("s", schedule).bind("slot", Times.format(slot)).bind("at", Times.format(at));
            if (expected != null) update.bind("expected", Times.format(expected));
            return update.execute();
        }) == 1;
    }

    @Override
    public void setPaused(String schedule, boolean paused, Instant lastSlot, String by, Instant at) {
        // a paused schedule keeps its last slot; a resumed one starts after the newest slot, so the paused ones do not run
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO schedule_states (schedule, last_slot, paused, changed_by, changed_at) "
                        + "VALUES (:s, :slot, :paused, :by, :at) ON CONFLICT (schedule) DO UPDATE SET paused = :paused, "
                        + "changed_by = :by, changed_at = :at" + (paused ? "" : ", last_slot = :slot"))
                .bind("s", schedule).bind("slot", Times.format(lastSlot)).bind("paused", paused).bind("by", by)
                .bind("at", Times.format(at)).execute());
    }

    @Override
    public ScheduleRun add(ScheduleRun run, List<CheckResult> checks, List<String> checklist) {
        return db.jdbi().inTransaction(h -> {
            long id = h.createQuery("INSERT INTO schedule_runs (schedule, slot, run_trigger, started_at, summary, output) "
                            + "VALUES (:schedule, :slot, :trigger, :at, :summary, :output) RETURNING id")
                    .bind("schedule", run.schedule()).bind("slot", Times.format(run.slot())).bind("trigger", run.trigger())
                    .bind("at", Times.format(run.startedAt())).bind("summary", run.summary()).bind("output", run.output())
                    .mapTo(Long.class).one();
            for (CheckResult check : checks) {
                h.createUpdate("INSERT INTO schedule_run_checks (run_id, position, label, status, summary) "
                                + "VALUES (:run, :position, :label, :status, :summary)")
                        .bind("run", id).bind("position", check.position()).bind("label", check.label())
                        .bind("status", check.status().name()).bind("summary", check.summary()).execute();
            }
            for (int i = 0; i < checklist.size(); i++) {
                h.createUpdate("INSERT INTO schedule_checklist_items (run_id, item, text) VALUES (:run, :item, :text)")
                        .bind("run", id).bind("item", i + 1).bind("text", checklist.get(i)).execute();
            }
            return new ScheduleRun(id, run.schedule(), run.slot(), run.trigger(), run.startedAt(), run.summary(), run.output(), null);
        });
    }

    @Override
    public Optional<ScheduleRun> latestRun(String schedule) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + RUN_COLUMNS + " FROM schedule_runs WHERE schedule = :s "
                + "ORDER BY id DESC LIMIT 1").bind("s", schedule).map(RUN).findOne());
    }

    @Override
    public List<CheckResult> checks(long runId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT position, label, status, summary FROM schedule_run_checks "
                        + "WHERE run_id = :run ORDER BY position").bind("run", runId)
                .map((rs, ctx) -> new CheckResult(rs.getInt(1), rs.getString(2), CheckResult.Status.valueOf(rs.getString(3)),
                        rs.getString(4))).list());
    }

    @Override
    public List<ChecklistItem> checklist(long runId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT item, text, done_by, done_at FROM schedule_checklist_items "
                        + "WHERE run_id = :run ORDER BY item").bind("run", runId)
                .map((rs, ctx) -> new ChecklistItem(rs.getInt(1), rs.getString(2), rs.getString(3), Times.parse(rs.getString(4))))
                .list());
    }

    @Override
    public boolean tick(long runId, int item, String by, Instant at) {
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE schedule_checklist_items SET done_by = :by, done_at = :at "
                        + "WHERE run_id = :run AND item = :item AND done_by IS NULL")
                .bind("by", by).bind("at", Times.format(at)).bind("run", runId).bind("item", item).execute()) == 1;
    }

    @Override
    public boolean markReminded(long runId, Instant at) {
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE schedule_runs SET reminded_at = :at WHERE id = :run "
                + "AND reminded_at IS NULL").bind("at", Times.format(at)).bind("run", runId).execute()) == 1;
    }

    @Override
    public void linkMessage(long outboxId, long runId) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO schedule_messages (outbox_id, run_id) VALUES (:outbox, :run)")
                .bind("outbox", outboxId).bind("run", runId).execute());
    }

    @Override
    public Optional<Long> runOfMessage(long outboxId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT run_id FROM schedule_messages WHERE outbox_id = :outbox")
                .bind("outbox", outboxId).mapTo(Long.class).findOne());
    }
}
