package dev.firebreak.store;

import dev.firebreak.paging.PagingEventStore;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The paging_events table: PagerDuty's durable queue. */
public final class JdbcPagingEventStore implements PagingEventStore {

    private static final String COLUMNS = "id, incident_number, dedup_key, action, routing_key, body, platform, channel_id, attempts";
    private static final RowMapper<PagingEvent> EVENT = (rs, ctx) -> new PagingEvent(rs.getLong(1), rs.getLong(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9));

    private final Database db;

    public JdbcPagingEventStore(Database db) {
        this.db = db;
    }

    @Override
    public long add(long incidentNumber, String dedupKey, String action, String routingKey, String body, String platform,
                    String channelId, Instant at) {
        return db.jdbi().withHandle(h -> h.createQuery("INSERT INTO paging_events (incident_number, dedup_key, action, routing_key, body, "
                        + "platform, channel_id, state, attempts, not_before, created_at) VALUES (:i, :d, :a, :r, :b, :p, :c, 'PENDING', 0, "
                        + ":at, :at) RETURNING id")
                .bind("i", incidentNumber).bind("d", dedupKey).bind("a", action).bind("r", routingKey).bind("b", body)
                .bind("p", platform).bind("c", channelId).bind("at", Times.format(at)).mapTo(Long.class).one());
    }

    @Override
    public List<PagingEvent> due(Instant now) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM paging_events WHERE state = 'PENDING' "
                + "AND not_before <= :now ORDER BY id").bind("now", Times.format(now)).map(EVENT).list());
    }

    @Override
    public void delivered(long id, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE paging_events SET state = 'DELIVERED', delivered_at = :at, attempts = attempts + 1 "
                + "WHERE id = :id AND state = 'PENDING'").bind("at", Times.format(at)).bind("id", id).execute());
    }

    @Override
    public void retryAt(long id, Instant notBefore, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE paging_events SET not_before = :nb, last_error = :e, attempts = attempts + 1 "
                + "WHERE id = :id AND state = 'PENDING'").bind("nb", Times.format(notBefore)).bind("e", error).bind("id", id).execute());
    }

    @Override
    public void rejected(long id, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE paging_events SET state = 'REJECTED', last_error = :e, attempts = attempts + 1 "
                + "WHERE id = :id AND state = 'PENDING'").bind("e", error).bind("id", id).execute());
    }

    @Override
    public List<String> triggeredOn(long incidentNumber) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT routing_key FROM paging_events WHERE incident_number = :i "
                        + "AND action = 'trigger' GROUP BY routing_key ORDER BY MIN(id)")
                .bind("i", incidentNumber).mapTo(String.class).list());
    }

    @Override
    public Optional<Long> incidentOf(String dedupKey) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT incident_number FROM paging_events WHERE dedup_key = :d ORDER BY id LIMIT 1")
                .bind("d", dedupKey).mapTo(Long.class).findOne());
    }

    @Override
    public long countPending() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM paging_events WHERE state = 'PENDING'")
                .mapTo(Long.class).one());
    }
}
