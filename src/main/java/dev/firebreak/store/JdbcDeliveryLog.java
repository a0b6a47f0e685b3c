package dev.firebreak.store;

import dev.firebreak.chat.DeliveryLog;

import java.time.Clock;
import java.time.Duration;

/**
 * The {@code inbound_deliveries} table. A key is kept for {@link #RETENTION}, far longer than the
 * five minutes within which Slack's signature of a request is accepted; expired keys are removed
 * as the clock passes them.
 */
public final class JdbcDeliveryLog implements DeliveryLog {

    public static final Duration RETENTION = Duration.ofHours(1);

    private final Database db;
    private final Clock clock;

    public JdbcDeliveryLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean firstDelivery(String platform, String key) {
        long now = clock.millis();
        String stored = key.length() > 200 ? key.substring(0, 200) : key;
        return db.jdbi().inTransaction(h -> {
            h.createUpdate("DELETE FROM inbound_deliveries WHERE expires_at < :now").bind("now", now).execute();
            return h.createUpdate("INSERT INTO inbound_deliveries (platform, delivery_key, expires_at) VALUES (:p, :k, :until) "
                            + "ON CONFLICT (platform, delivery_key) DO NOTHING")
                    .bind("p", platform).bind("k", stored).bind("until", now + RETENTION.toMillis()).execute() == 1;
        });
    }
}
