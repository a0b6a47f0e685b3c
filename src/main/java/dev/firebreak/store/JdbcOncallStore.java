package dev.firebreak.store;

import dev.firebreak.oncall.EscalationStore;
import dev.firebreak.oncall.OverrideStore;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The on-call tables: overrides set from chat and each incident's escalation. */
public final class JdbcOncallStore implements OverrideStore, EscalationStore {

    private static final RowMapper<StoredOverride> OVERRIDE = (rs, ctx) -> new StoredOverride(rs.getLong("id"), rs.getString("rotation"),
            rs.getString("person"), Times.parse(rs.getString("starts_at")), Times.parse(rs.getString("ends_at")), rs.getString("set_by"));
    private static final String ESCALATION_COLUMNS = "incident_number, rotation, level, level_since, notified, acknowledged_at, acknowledged_by";
    private static final RowMapper<Escalation> ESCALATION = (rs, ctx) -> new Escalation(rs.getLong(1), rs.getString(2), rs.getInt(3),
            Times.parse(rs.getString(4)), people(rs.getString(5)), Times.parse(rs.getString(6)), rs.getString(7));

    private final Database db;

    public JdbcOncallStore(Database db) {
        this.db = db;
    }

    private static List<String> people(String stored) {
        return stored == null || stored.isBlank() ? List.of() : Arrays.asList(stored.split(" "));
    }

    @Override
    public StoredOverride add(String rotation, String person, Instant from, Instant until, String setBy) {
        long id = db.jdbi().withHandle(h -> h.createQuery("INSERT INTO oncall_overrides (rotation, person, starts_at, ends_at, set_by) "
                        + "VALUES (:r, :p, :f, :u, :b) RETURNING id")
                .bind("r", rotation).bind("p", person).bind("f", Times.format(from)).bind("u", Times.format(until)).bind("b", setBy)
                .mapTo(Long.class).one());
        return new StoredOverride(id, rotation, person, from, until, setBy);
    }

    @Override
    public List<StoredOverride> endingAfter(Instant at) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM oncall_overrides WHERE ends_at > :at ORDER BY id")
                .bind("at", Times.format(at)).map(OVERRIDE).list());
    }

    @Override
    public boolean start(long incident, String rotation, List<String> notified, Instant at) {
        return db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO incident_escalations (incident_number, rotation, level, level_since, "
                        + "notified) VALUES (:i, :r, 1, :at, :n) ON CONFLICT (incident_number) DO NOTHING")
                .bind("i", incident).bind("r", rotation).bind("at", Times.format(at)).bind("n", String.join(" ", notified))
                .execute()) == 1;
    }

    @Override
    public Optional<Escalation> find(long incident) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + ESCALATION_COLUMNS + " FROM incident_escalations WHERE incident_number = :i")
                .bind("i", incident).map(ESCALATION).findOne());
    }

    @Override
    public List<Escalation> unacknowledged() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + ESCALATION_COLUMNS + " FROM incident_escalations "
                + "WHERE acknowledged_at IS NULL ORDER BY incident_number").map(ESCALATION).list());
    }

    @Override
    public boolean advance(long incident, int fromLevel, Instant since, List<String> notified) {
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE incident_escalations SET level = :next, level_since = :since, notified = :n "
                        + "WHERE incident_number = :i AND level = :from AND acknowledged_at IS NULL")
                .bind("next", fromLevel + 1).bind("since", Times.format(since)).bind("n", String.join(" ", notified))
                .bind("i", incident).bind("from", fromLevel).execute()) == 1;
    }

    @Override
    public boolean acknowledge(long incident, String by, Instant at) {
        return db.jdbi().withHandle(h -> h.createUpdate("UPDATE incident_escalations SET acknowledged_at = :at, acknowledged_by = :b "
                        + "WHERE incident_number = :i AND acknowledged_at IS NULL")
                .bind("at", Times.format(at)).bind("b", by).bind("i", incident).execute()) == 1;
    }
}
