package dev.firebreak.store;

import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.status.ComponentState;
import dev.firebreak.status.StatusPageStore;
import dev.firebreak.status.StatusUpdate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;

/** The status page's published updates and its queue of pushes to Statuspage, in SQLite or PostgreSQL. */
public final class JdbcStatusPageStore implements StatusPageStore {

    private static final String COLUMNS = "u.id, u.incident_number, u.public_title, u.component, u.state, u.phase, u.body, "
            + "u.published_by, u.published_at";

    private static final RowMapper<StatusUpdate> UPDATE = (rs, ctx) -> new StatusUpdate(rs.getLong("id"),
            rs.getLong("incident_number"), rs.getString("public_title"), rs.getString("component"),
            ComponentState.valueOf(rs.getString("state")), IncidentStatus.valueOf(rs.getString("phase")), rs.getString("body"),
            rs.getString("published_by"), Times.parse(rs.getString("published_at")));

    private final Jdbi jdbi;

    public JdbcStatusPageStore(Database db) {
        this.jdbi = db.jdbi();
    }

    @Override
    public StatusUpdate add(StatusUpdate u, boolean push, Instant now) {
        long id = jdbi.inTransaction(h -> {
            long assigned = h.createQuery("INSERT INTO status_updates (incident_number, public_title, component, state, phase, body, "
                            + "published_by, published_at) VALUES (:incident, :title, :component, :state, :phase, :body, :by, :at) RETURNING id")
                    .bind("incident", u.incidentNumber()).bind("title", u.publicTitle()).bind("component", u.component())
                    .bind("state", u.state().name()).bind("phase", u.phase().name()).bind("body", u.body())
                    .bind("by", u.publishedBy()).bind("at", Times.format(u.publishedAt())).mapTo(Long.class).one();
            if (push) {
                h.createUpdate("INSERT INTO statuspage_pushes (update_id, state, attempts, not_before) VALUES (:id, 'pending', 0, :now)")
                        .bind("id", assigned).bind("now", Times.format(now)).execute();
            }
            return assigned;
        });
        return new StatusUpdate(id, u.incidentNumber(), u.publicTitle(), u.component(), u.state(), u.phase(), u.body(),
                u.publishedBy(), u.publishedAt());
    }

    @Override
    public List<StatusUpdate> forPage(Instant historyFrom) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM status_updates u WHERE u.incident_number IN ("
                        + "SELECT l.incident_number FROM status_updates l WHERE l.id IN (SELECT MAX(id) FROM status_updates GROUP BY incident_number) "
                        + "AND (l.phase <> 'RESOLVED' OR l.published_at >= :from)) ORDER BY u.id")
                .bind("from", Times.format(historyFrom)).map(UPDATE).list());
    }

    @Override
    public List<StatusUpdate> ofIncident(long incidentNumber) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM status_updates u WHERE u.incident_number = :n ORDER BY u.id")
                .bind("n", incidentNumber).map(UPDATE).list());
    }

    private record Pending(Push push, Instant notBefore) {}

    @Override
    public List<Push> duePushes(Instant now) {
        List<Pending> pending = jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", p.attempts, p.not_before "
                        + "FROM statuspage_pushes p JOIN status_updates u ON u.id = p.update_id WHERE p.state = 'pending' ORDER BY u.id")
                .map((rs, ctx) -> new Pending(new Push(UPDATE.map(rs, ctx), rs.getInt("attempts")), Times.parse(rs.getString("not_before"))))
                .list());
        // the first pending push of each incident goes when due; the ones behind it wait for it
        Set<Long> first = new HashSet<>();
        List<Push> due = new ArrayList<>();
        for (Pending p : pending) {
            if (first.add(p.push().update().incidentNumber()) && !p.notBefore().isAfter(now)) due.add(p.push());
        }
        return due;
    }

    @Override
    public void pushed(long updateId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE statuspage_pushes SET state = 'pushed', pushed_at = :at, attempts = attempts + 1 "
                + "WHERE update_id = :id").bind("at", Times.format(at)).bind("id", updateId).execute());
    }

    @Override
    public void retryLater(long updateId, int attempts, Instant notBefore, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE statuspage_pushes SET attempts = :attempts, not_before = :nb, last_error = :error "
                        + "WHERE update_id = :id").bind("attempts", attempts).bind("nb", Times.format(notBefore)).bind("error", error)
                .bind("id", updateId).execute());
    }

    @Override
    public void refused(long updateId, String error) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE statuspage_pushes SET state = 'refused', attempts = attempts + 1, last_error = :error "
                + "WHERE update_id = :id").bind("error", error).bind("id", updateId).execute());
    }

    @Override
    public Optional<String> remoteIncident(long incidentNumber) {
        return jdbi.withHandle(h -> h.createQuery("SELECT remote_id FROM statuspage_incidents WHERE incident_number = :n")
                .bind("n", incidentNumber).mapTo(String.class).findOne());
    }

    @Override
    public void remoteIncident(long incidentNumber, String remoteId) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO statuspage_incidents (incident_number, remote_id) VALUES (:n, :id)")
                .bind("n", incidentNumber).bind("id", remoteId).execute());
    }
}
