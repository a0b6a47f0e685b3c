package dev.firebreak.store;

import dev.firebreak.chat.DeliveryLog;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code inbound_deliveries} table. A key is kept for {@link #RETENTION}, far longer than the
 * five minutes within which Slack's signature of a request is accepted. A key whose time has
 * passed counts as new again at once; the rows are removed at most once every {@link #SWEEP_EVERY},
 * not by every delivery, which is on the path of every command's acknowledgement.
 */
public final class JdbcDeliveryLog implements DeliveryLog {

    public static final Duration RETENTION = Duration.ofHours(1);
    static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final Database db;
    private final Clock clock;
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

    public JdbcDeliveryLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean firstDelivery(String platform, String key) {
        long now = clock.millis();
        long due = nextSweep.get();
        if (now >= due && nextSweep.compareAndSet(due, now + SWEEP_EVERY.toMillis())) {
            db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM inbound_deliveries WHERE expires_at < :now").bind("now", now).execute());
        }
        String stored = key.length() > 200 ? key.substring(0, 200) : key;
        // one row changes when the key is new or its earlier delivery has expired; none when it is a repeat
        return db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO inbound_deliveries (platform, delivery_key, expires_at) "
                        + "VALUES (:p, :k, :until) ON CONFLICT (platform, delivery_key) DO UPDATE SET expires_at = :until "
                        + "WHERE inbound_deliveries.expires_at < :now")
                .bind("p", platform).bind("k", stored).bind("until", now + RETENTION.toMillis()).bind("now", now)
                .execute()) == 1;
    }
}
