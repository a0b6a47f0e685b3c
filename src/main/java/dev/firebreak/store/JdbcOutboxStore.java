package dev.firebreak.store;

import dev.firebreak.chat.OutboxStore;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The outbox table. */
public final class JdbcOutboxStore implements OutboxStore {

    private static final String COLUMNS = "id, platform, channel_id, body, pin, bot_reactions, attempts, not_before, platform_message_id, "
            + "edit_of, reply_to, EXISTS (SELECT 1 FROM outbox_parts p WHERE p.outbox_id = outbox.id)";
    private static final RowMapper<Entry> ENTRY = (rs, ctx) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getBoolean(5),
            rs.getString(6).isEmpty() ? List.of() : Arrays.asList(rs.getString(6).split(" ")),
            rs.getInt(7), Times.parse(rs.getString(8)), rs.getString(9), rs.getObject(10) == null ? null : rs.getLong(10),
            rs.getObject(11) == null ? null : rs.getLong(11), rs.getBoolean(12));

    private final Database db;

    public JdbcOutboxStore(Database db) {
        this.db = db;
    }

    @Override
    public long add(String platform, String channelId, String body, boolean pin, List<String> botReactions, Instant at) {
        return db.jdbi().withHandle(h -> h.createQuery("INSERT INTO outbox (platform, channel_id, body, pin, bot_reactions, "
                        + "state, attempts, not_before, created_at) VALUES (:platform, :channel, :body, :pin, :reactions, "
                        + "'PENDING', 0, :at, :at) RETURNING id")
                .bind("platform", platform).bind("channel", channelId).bind("body", body).bind("pin", pin)
                .bind("reactions", String.join(" ", botReactions)).bind("at", Times.format(at)).mapTo(Long.class).one());
    }

    @Override
    public Optional<Long> addKeyed(String key, String platform, String channelId, String body, boolean pin, Instant at) {
        return db.jdbi().withHandle(h -> h.createQuery("INSERT INTO outbox (platform, channel_id, body, pin, bot_reactions, "
                        + "state, attempts, not_before, created_at, message_key) VALUES (:platform, :channel, :body, :pin, '', "
                        + "'PENDING', 0, :at, :at, :key) ON CONFLICT (message_key) DO NOTHING RETURNING id")
                .bind("platform", platform).bind("channel", channelId).bind("body", body).bind("pin", pin).bind("at", Times.format(at))
                .bind("key", key).mapTo(Long.class).findOne());
    }

    @Override
    public Optional<Long> findByKey(String key) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM outbox WHERE message_key = :key")
                .bind("key", key).mapTo(Long.class).findOne());
    }

    @Override
    public long addEdit(long original, String body, Instant at) {
        return db.jdbi().withHandle(h -> h.createQuery("INSERT INTO outbox (platform, channel_id, body, pin, bot_reactions, "
                        + "state, attempts, not_before, created_at, edit_of) SELECT platform, channel_id, :body, FALSE, '', "
                        + "'PENDING', 0, :at, :at, id FROM outbox WHERE id = :original RETURNING id")
                .bind("original", original).bind("body", body).bind("at", Times.format(at)).mapTo(Long.class).one());
    }

    @Override
    public long addReply(long parent, String body, Instant at) {
        return db.jdbi().withHandle(h -> h.createQuery("INSERT INTO outbox (platform, channel_id, body, pin, bot_reactions, "
                        + "state, attempts, not_before, created_at, reply_to) SELECT platform, channel_id, :body, FALSE, '', "
                        + "'PENDING', 0, :at, :at, id FROM outbox WHERE id = :parent RETURNING id")
                .bind("parent", parent).bind("body", body).bind("at", Times.format(at)).mapTo(Long.class).one());
    }

    @Override
    public List<Entry> pendingAfter(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE id > :after AND state = 'PENDING' "
                        + "ORDER BY id")
                .bind("after", id).map(ENTRY).list());
    }

    @Override
    public long lastQueuedId() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM outbox").mapTo(Long.class).one());
    }

    @Override
    public List<Entry> pendingOn(String platform, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE state = 'PENDING' "
                        + "AND platform = :p ORDER BY id LIMIT :limit")
                .bind("p", platform).bind("limit", limit).map(ENTRY).list());
    }

    @Override
    public List<Entry> pendingIn(String platform, String channelId, int limit) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE state = 'PENDING' "
                        + "AND platform = :p AND channel_id = :c ORDER BY id LIMIT :limit")
                .bind("p", platform).bind("c", channelId).bind("limit", limit).map(ENTRY).list());
    }

    @Override
    public boolean editPendingAfter(long id, long original) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'PENDING' "
                        + "AND edit_of = :original AND id > :id)")
                .bind("original", original).bind("id", id).mapTo(Boolean.class).one());
    }

    @Override
    public List<Part> parts(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT part, platform_message_id FROM outbox_parts "
                        + "WHERE outbox_id = :id ORDER BY part")
                .bind("id", id).map((rs, ctx) -> new Part(rs.getInt(1), rs.getString(2))).list());
    }

    @Override
    public void partAttempted(long id, int part, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO outbox_parts (outbox_id, part, attempted_at) "
                        + "VALUES (:id, :part, :at) ON CONFLICT (outbox_id, part) DO NOTHING")
                .bind("id", id).bind("part", part).bind("at", Times.format(at)).execute());
    }

    @Override
    public void partRefused(long id, int part) {
        db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM outbox_parts WHERE outbox_id = :id AND part = :part "
                + "AND platform_message_id IS NULL").bind("id", id).bind("part", part).execute());
    }

    @Override
    public void partDelivered(long id, int part, String platformMessageId, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO outbox_parts (outbox_id, part, platform_message_id, "
                        + "attempted_at, delivered_at) VALUES (:id, :part, :m, :at, :at) ON CONFLICT (outbox_id, part) "
                        + "DO UPDATE SET platform_message_id = :m, delivered_at = :at")
                .bind("id", id).bind("part", part).bind("m", platformMessageId).bind("at", Times.format(at)).execute());
    }

    @Override
    public void delivered(long id, String platformMessageId, Instant at) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET state = 'DELIVERED', platform_message_id = :m, "
                + "delivered_at = :at, attempts = attempts + 1 WHERE id = :id")
                .bind("m", platformMessageId).bind("at", Times.format(at)).bind("id", id).execute());
    }

    @Override
    public void postpone(long id, Instant notBefore, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET not_before = :nb, last_error = :e, attempts = attempts + 1 "
                + "WHERE id = :id").bind("nb", Times.format(notBefore)).bind("e", error).bind("id", id).execute());
    }

    @Override
    public void failed(long id, String error) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE outbox SET state = 'FAILED', last_error = :e, attempts = attempts + 1 "
                + "WHERE id = :id").bind("e", error).bind("id", id).execute());
    }

    @Override
    public Optional<Entry> find(long id) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE id = :id")
                .bind("id", id).map(ENTRY).findOne());
    }

    @Override
    public Optional<Entry> findByPlatformMessage(String platform, String channelId, String platformMessageId) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE platform = :p"
                        + (channelId == null ? "" : " AND channel_id = :c") + " AND platform_message_id = :m ORDER BY id DESC")
                .bind("p", platform).bind("c", channelId).bind("m", platformMessageId).map(ENTRY).findFirst());
    }

    @Override
    public long countPending() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE state = 'PENDING'")
                .mapTo(Long.class).one());
    }

    @Override
    public Optional<Instant> oldestPendingQueuedAt() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT created_at FROM outbox WHERE state = 'PENDING' ORDER BY id LIMIT 1")
                .mapTo(String.class).findFirst().map(Times::parse));
    }

    @Override
    public long countDelivered(String platform) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE platform = :p AND state = 'DELIVERED' "
                        + "AND edit_of IS NULL")
                .bind("p", platform).mapTo(Long.class).one());
    }
}
