package dev.firebreak.store;

import dev.firebreak.approval.ApprovalRepository;
import dev.firebreak.approval.ApprovalRequest;
import dev.firebreak.approval.ApprovalService;
import dev.firebreak.approval.ApprovalState;
import dev.firebreak.approval.ExecutionKeys;
import dev.firebreak.approval.Vote;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Approval requests and votes; transitions are single compare-and-set updates. */
public final class JdbcApprovalRepository implements ApprovalRepository {

    private static final String COLUMNS = "id, incident_number, action, action_hash, canonical_json, preview, policy, "
            + "requested_by, platform, channel_id, outbox_id, runbook_run_id, state, created_at, expires_at, decided_at, result, "
            + "execution_key";

    private static final RowMapper<ApprovalRequest> REQUEST = (rs, ctx) -> new ApprovalRequest(
            rs.getLong("id"), Times.nullableLong(rs, "incident_number"), rs.getString("action"),
            rs.getString("action_hash"), rs.getString("canonical_json"), rs.getString("preview"), rs.getString("policy"),
            rs.getString("requested_by"), rs.getString("platform"), rs.getString("channel_id"),
            Times.nullableLong(rs, "outbox_id"), Times.nullableLong(rs, "runbook_run_id"),
            ApprovalState.valueOf(rs.getString("state")), Times.parse(rs.getString("created_at")),
            Times.parse(rs.getString("expires_at")), Times.parse(rs.getString("decided_at")), rs.getString("result"),
            rs.getString("execution_key"));

    private final Database db;

    public JdbcApprovalRepository(Database db) {
        this.db = db;
    }

    @Override
    public ApprovalRequest create(NewRequest r) {
        long id = db.jdbi().inTransaction(h -> {
            long created = h.createQuery("INSERT INTO approval_requests (incident_number, action, action_hash, "
                            + "canonical_json, preview, policy, requested_by, platform, channel_id, runbook_run_id, state, created_at, "
                            + "expires_at) VALUES (:incident, :action, :hash, :canonical, :preview, :policy, :requestedBy, "
                            + ":platform, :channel, :run, 'PENDING', :created, :expires) RETURNING id")
                    .bind("incident", r.incidentNumber()).bind("action", r.action()).bind("hash", r.actionHash())
                    .bind("canonical", r.canonicalJson()).bind("preview", r.preview()).bind("policy", r.policy())
                    .bind("requestedBy", r.requestedBy()).bind("platform", r.platform()).bind("channel", r.channelId())
                    .bind("run", r.runbookRunId()).bind("created", Times.format(r.createdAt()))
                    .bind("expires", Times.format(r.expiresAt())).mapTo(Long.class).one();
            // the key names the request and is unique across stores and time (the id alone restarts at 1 in a new store)
            h.createUpdate("UPDATE approval_requests SET execution_key = :key WHERE id = :id")
                    .bind("key", ExecutionKeys.forRequest(created)).bind("id", created).execute();
            return created;
        });
        return find(id).orElseThrow();
    }

    @Override
    public void attachMessage(long requestId, long outboxId) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE approval_requests SET outbox_id = :o WHERE id = :id")
                .bind("o", outboxId).bind("id", requestId).execute());
    }

    @Override
    public Optional<ApprovalRequest> find(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM approval_requests WHERE id = :id")
                .bind("id", id).map(REQUEST).findOne());
    }

    @Override
    public Optional<ApprovalRequest> findByOutboxId(long outboxId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM approval_requests WHERE outbox_id = :o")
                .bind("o", outboxId).map(REQUEST).findOne());
    }

    @Override
    public List<ApprovalRequest> inState(ApprovalState... states) {
        List<String> names = Arrays.stream(states).map(Enum::name).toList();
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM approval_requests WHERE state IN (<states>) ORDER BY id")
                .bindList("states", names).map(REQUEST).list());
    }

    @Override
    public void putVote(long requestId, Vote vote) {
        db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM approval_votes WHERE request_id = :r AND person = :p")
                    .bind("r", requestId).bind("p", vote.person()).execute();
            h.createUpdate("INSERT INTO approval_votes (request_id, person, user_id, decision, action_hash, at) "
                            + "VALUES (:r, :p, :u, :d, :h, :at)")
                    .bind("r", requestId).bind("p", vote.person()).bind("u", vote.userId())
                    .bind("d", vote.decision().name()).bind("h", vote.actionHash()).bind("at", Times.format(vote.at()))
                    .execute();
        });
    }

    @Override
    public void removeVote(long requestId, String person) {
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM approval_votes WHERE request_id = :r AND person = :p")
                .bind("r", requestId).bind("p", person).execute());
    }

    @Override
    public List<Vote> votes(long requestId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT person, user_id, decision, action_hash, at FROM approval_votes "
                        + "WHERE request_id = :r ORDER BY at")
                .bind("r", requestId)
                .map((rs, ctx) -> new Vote(rs.getString(1), rs.getString(2), Vote.Decision.valueOf(rs.getString(3)),
                        rs.getString(4), Times.parse(rs.getString(5))))
                .list());
    }

    @Override
    public boolean transition(long requestId, ApprovalState from, ApprovalState to, Instant at, String result) {
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE approval_requests SET state = :to, decided_at = :at, "
                        + "result = COALESCE(:result, result) WHERE id = :id AND state = :from")
                .bind("to", to.name()).bind("at", Times.format(at)).bind("result", result)
                .bind("id", requestId).bind("from", from.name()).execute()) == 1;
    }

    @Override
    public boolean waitingOn(long requestId, String what, Instant until) {
        String at = Times.format(until);
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE approval_requests SET waiting_on = :what, waiting_until = :until "
                        + "WHERE id = :id AND state = 'EXECUTING' AND (waiting_on IS NULL OR waiting_until IS NULL "
                        + "OR waiting_on <> :what OR waiting_until <> :until)")
                .bind("what", what).bind("until", at).bind("id", requestId).execute()) == 1;
    }

    @Override
    public Map<Long, ApprovalService.OnOthers> waitingOnOthers() {
        Map<Long, ApprovalService.OnOthers> waiting = new LinkedHashMap<>();
        db.jdbi().useHandle(h -> h.createQuery("SELECT id, waiting_on, waiting_until FROM approval_requests "
                        + "WHERE state = 'EXECUTING' AND waiting_on IS NOT NULL AND waiting_until IS NOT NULL ORDER BY id")
                .map((rs, ctx) -> Map.entry(rs.getLong(1), new ApprovalService.OnOthers(rs.getString(2), Times.parse(rs.getString(3)))))
                .forEach(entry -> waiting.put(entry.getKey(), entry.getValue())));
        return waiting;
    }
}
