package dev.firebreak.store;

import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentRepository;
import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.incident.RoleAssignment;
import dev.firebreak.incident.TimelineEvent;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Incidents, roles and the append-only timeline in SQLite or PostgreSQL. */
public final class JdbcIncidentRepository implements IncidentRepository {

    private static final String COLUMNS = "number, severity, title, status, security, platform, channel_id, channel_name, "
            + "declared_by, declared_at, last_update_at, last_reminder_at, resolved_at, root_cause";

    /** An open incident, in the words of the partial indexes of V320 (the planner matches them term by term). */
    private static final String OPEN = "status <> 'RESOLVED' AND channel_id <> ''";

    private static final RowMapper<Incident> INCIDENT = (rs, ctx) -> new Incident(
            rs.getLong("number"), rs.getString("severity"), rs.getString("title"),
            IncidentStatus.valueOf(rs.getString("status")), rs.getBoolean("security"), rs.getString("platform"),
            rs.getString("channel_id"), rs.getString("channel_name"), rs.getString("declared_by"),
            Times.parse(rs.getString("declared_at")), Times.parse(rs.getString("last_update_at")),
            Times.parse(rs.getString("last_reminder_at")), Times.parse(rs.getString("resolved_at")),
            rs.getString("root_cause"));

    private static final RowMapper<TimelineEvent> EVENT = (rs, ctx) -> new TimelineEvent(rs.getLong(1),
            Times.parse(rs.getString(2)), rs.getString(3), TimelineEvent.Type.fromStored(rs.getString(4)),
            TimelineEvent.Source.fromStored(rs.getString(5)), rs.getString(6), Json.readStrings(rs.getString(7)));

    private final Database db;
    private final Jdbi jdbi;

    public JdbcIncidentRepository(Database db) {
        this.db = db;
        this.jdbi = db.jdbi();
    }

    @Override
    public Incident create(NewIncident n, Instant at) {
        return insert(n, n.channelName(), n.channelName(), 1, at).orElseThrow(() -> new IllegalStateException(
                "channel name " + n.channelName() + " is taken"));
    }

    @Override
    public Incident createInFreeChannel(NewIncident n, Instant at) {
        String base = n.channelName();
        int highest = jdbi.withHandle(h -> h.createQuery("SELECT MAX(channel_ordinal) FROM incidents WHERE channel_base = :b")
                .bind("b", base).mapTo(Integer.class).findOne().orElse(0));
        // a name given out meanwhile, or one an older incident holds by another base, is skipped
        for (int ordinal = highest + 1; ordinal <= highest + 100; ordinal++) {
            Optional<Incident> created = insert(n, base, ordinal == 1 ? base : base + "-" + ordinal, ordinal, at);
            if (created.isPresent()) return created.get();
        }
        throw new IllegalStateException("no free channel name after " + base + "-" + (highest + 100));
    }

    /** Inserts unless the channel name is taken (then empty). */
    private Optional<Incident> insert(NewIncident n, String base, String channelName, int ordinal, Instant at) {
        Optional<Long> number = jdbi.withHandle(h -> h.createQuery("INSERT INTO incidents (severity, title, status, security, "
                        + "platform, channel_id, channel_name, channel_base, channel_ordinal, declared_by, declared_at, last_update_at) "
                        + "VALUES (:severity, :title, :status, :security, :platform, :channelId, :channelName, :base, :ordinal, "
                        + ":declaredBy, :declaredAt, :lastUpdateAt) ON CONFLICT (channel_name) DO NOTHING RETURNING number")
                .bind("severity", n.severity()).bind("title", n.title())
                .bind("status", IncidentStatus.INVESTIGATING.name()).bind("security", n.security())
                .bind("platform", n.platform()).bind("channelId", n.channelId()).bind("channelName", channelName)
                .bind("base", base).bind("ordinal", ordinal)
                .bind("declaredBy", n.declaredBy()).bind("declaredAt", Times.format(at))
                .bind("lastUpdateAt", Times.format(at)).mapTo(Long.class).findOne());
        return number.map(no -> new Incident(no, n.severity(), n.title(), IncidentStatus.INVESTIGATING, n.security(),
                n.platform(), n.channelId(), channelName, n.declaredBy(), at, at, null, null, null));
    }

    @Override
    public void attachChannel(long number, String channelId) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE incidents SET channel_id = :c WHERE number = :n")
                .bind("c", channelId).bind("n", number).execute());
    }

    @Override
    public void withdraw(long number) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM incidents WHERE number = :n AND channel_id = :none")
                    .bind("n", number).bind("none", NO_CHANNEL_YET).execute();
            db.reuseRemovedIds(h, "incidents", "number");   // the next incident gets its number
        });
    }

    @Override
    public List<Incident> unlinked() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM incidents WHERE channel_id = :none ORDER BY number")
                .bind("none", NO_CHANNEL_YET).map(INCIDENT).list());
    }

    @Override
    public Optional<Incident> find(long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM incidents WHERE number = :n")
                .bind("n", number).map(INCIDENT).findOne());
    }

    @Override
    public Optional<Incident> findByChannel(String platform, String channelId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM incidents WHERE platform = :p AND channel_id = :c ORDER BY number DESC")
                .bind("p", platform).bind("c", channelId).map(INCIDENT).findFirst());
    }

    @Override
    public List<Incident> open() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                + " FROM incidents WHERE " + OPEN + " ORDER BY number").map(INCIDENT).list());
    }

    /**
     * A page of the open incidents: the page's numbers are found in the index of the open ones
     * (V320), skipping {@code offset} index entries rather than rows, and only the page's rows are read.
     */
    @Override
    public List<Incident> open(int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM incidents WHERE number IN (SELECT number "
                        + "FROM incidents WHERE " + OPEN + " ORDER BY number LIMIT :limit OFFSET :offset) ORDER BY number")
                .bind("limit", limit).bind("offset", offset).map(INCIDENT).list());
    }

    @Override
    public int countOpen(int atMost) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM (SELECT number FROM incidents "
                        + "WHERE " + OPEN + " ORDER BY number LIMIT :atMost) open_ones")
                .bind("atMost", atMost).mapTo(Integer.class).one());
    }

    @Override
    public List<Incident> openDeclaredSince(Instant since) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM incidents WHERE " + OPEN
                        + " AND declared_at >= :since ORDER BY declared_at, number")
                .bind("since", Times.format(since)).map(INCIDENT).list());
    }

    @Override
    public List<Incident> all() {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM incidents ORDER BY number")
                .map(INCIDENT).list());
    }

    @Override
    public void update(Incident i) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE incidents SET severity = :severity, title = :title, status = :status, "
                        + "last_update_at = :lastUpdateAt, last_reminder_at = :lastReminderAt, resolved_at = :resolvedAt, "
                        + "root_cause = :rootCause WHERE number = :number")
                .bind("severity", i.severity()).bind("title", i.title()).bind("status", i.status().name())
                .bind("lastUpdateAt", Times.format(i.lastUpdateAt())).bind("lastReminderAt", Times.format(i.lastReminderAt()))
                .bind("resolvedAt", Times.format(i.resolvedAt())).bind("rootCause", i.rootCause())
                .bind("number", i.number()).execute());
    }

    @Override
    public void append(TimelineEvent e) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO timeline_events (incident_number, at, actor, kind, source, text, details) "
                        + "VALUES (:n, :at, :actor, :kind, :source, :text, :details)")
                .bind("n", e.incidentNumber()).bind("at", Times.format(e.at()))
                .bind("actor", e.actor()).bind("kind", e.type().stored()).bind("source", e.source().stored())
                .bind("text", e.text()).bind("details", e.details().isEmpty() ? null : Json.write(e.details())).execute());
    }

    @Override
    public List<TimelineEvent> timeline(long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT incident_number, at, actor, kind, source, text, details FROM timeline_events "
                        + "WHERE incident_number = :n ORDER BY id")
                .bind("n", number)
                .map(EVENT)
                .list());
    }

    @Override
    public List<TimelineEvent> timeline(long number, int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT incident_number, at, actor, kind, source, text, details FROM timeline_events "
                        + "WHERE incident_number = :n ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("n", number).bind("limit", limit).bind("offset", offset)
                .map(EVENT)
                .list());
    }

    @Override
    public int timelineLength(long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM timeline_events WHERE incident_number = :n")
                .bind("n", number).mapTo(Integer.class).one());
    }

    @Override
    public void assignRole(long number, String role, String person, Instant at) {
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE incident_roles SET renounced_at = :at WHERE incident_number = :n AND role = :role "
                    + "AND renounced_at IS NULL").bind("at", Times.format(at)).bind("n", number).bind("role", role).execute();
            h.createUpdate("INSERT INTO incident_roles (incident_number, role, person, assumed_at) VALUES (:n, :role, :person, :at)")
                    .bind("n", number).bind("role", role).bind("person", person).bind("at", Times.format(at)).execute();
        });
    }

    @Override
    public List<RoleAssignment> roles(long number) {
        return jdbi.withHandle(h -> h.createQuery("SELECT incident_number, role, person, assumed_at, renounced_at "
                        + "FROM incident_roles WHERE incident_number = :n ORDER BY assumed_at")
                .bind("n", number)
                .map((rs, ctx) -> new RoleAssignment(rs.getLong(1), rs.getString(2), rs.getString(3),
                        Times.parse(rs.getString(4)), Times.parse(rs.getString(5))))
                .list());
    }
}
