package dev.firebreak.store;

import dev.firebreak.runbook.RunbookRun;
import dev.firebreak.runbook.RunbookRuns;

import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The runbook_runs table. */
public final class JdbcRunbookRuns implements RunbookRuns {

    private static final String COLUMNS = "id, runbook, incident_number, platform, channel_id, started_by, params, next_step, "
            + "state, started_at, message_outbox_id, step_statuses, status_line";
    private static final RowMapper<RunbookRun> RUN = (rs, ctx) -> new RunbookRun(rs.getLong(1), rs.getString(2),
            Times.nullableLong(rs, 3), rs.getString(4), rs.getString(5), rs.getString(6), Json.readStrings(rs.getString(7)),
            rs.getInt(8), RunbookRun.State.valueOf(rs.getString(9)), Times.parse(rs.getString(10)), Times.nullableLong(rs, 11),
            statuses(rs.getString(12)), rs.getString(13));

    private final Database db;

    public JdbcRunbookRuns(Database db) {
        this.db = db;
    }

    @Override
    public RunbookRun create(RunbookRun run) {
        long id = db.jdbi().withHandle(h -> h.createQuery("INSERT INTO runbook_runs (runbook, incident_number, platform, "
                        + "channel_id, started_by, params, next_step, state, started_at) VALUES (:runbook, :incident, :platform, "
                        + ":channel, :by, :params, :next, :state, :at) RETURNING id")
                .bind("runbook", run.runbook()).bind("incident", run.incidentNumber())
                .bind("platform", run.platform()).bind("channel", run.channelId()).bind("by", run.startedBy())
                .bind("params", Json.write(run.params())).bind("next", run.nextStep()).bind("state", run.state().name())
                .bind("at", Times.format(run.startedAt())).mapTo(Long.class).one());
        RunbookRun created = new RunbookRun(id, run.runbook(), run.incidentNumber(), run.platform(), run.channelId(),
                run.startedBy(), run.params(), run.nextStep(), run.state(), run.startedAt(), run.messageId(), run.steps(),
                run.statusLine());
        if (run.messageId() != null || !run.steps().isEmpty() || run.statusLine() != null) save(created);
        return created;
    }

    @Override
    public void save(RunbookRun run) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE runbook_runs SET next_step = :next, state = :state, "
                        + "message_outbox_id = :message, step_statuses = :steps, status_line = :line WHERE id = :id")
                .bind("next", run.nextStep()).bind("state", run.state().name()).bind("message", run.messageId())
                .bind("steps", run.steps().isEmpty() ? null : String.join(",", run.steps().stream().map(Enum::name).toList()))
                .bind("line", run.statusLine()).bind("id", run.id()).execute());
    }

    private static List<RunbookRun.StepStatus> statuses(String stored) {
        if (stored == null || stored.isBlank()) return List.of();
        return Arrays.stream(stored.split(",")).map(RunbookRun.StepStatus::valueOf).toList();
    }

    @Override
    public Optional<RunbookRun> find(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM runbook_runs WHERE id = :id")
                .bind("id", id).map(RUN).findOne());
    }

    @Override
    public List<RunbookRun> inState(RunbookRun.State... states) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM runbook_runs WHERE state IN (<states>) ORDER BY id")
                .bindList("states", Arrays.stream(states).map(Enum::name).toList()).map(RUN).list());
    }
}
