package dev.firebreak.paging;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue of PagerDuty events: written before anything is sent, so events queued when
 * the process stops are delivered after it starts again, once each.
 */
public interface PagingEventStore {

    /**
     * One event. The routing key itself is a secret and is never stored: {@code routingKey} names it.
     *
     * @param body the event without its routing key, as JSON
     */
    record PagingEvent(long id, long incidentNumber, String dedupKey, String action, String routingKey, String body,
                       String platform, String channelId, int attempts) {}

    long add(long incidentNumber, String dedupKey, String action, String routingKey, String body, String platform, String channelId,
             Instant at);

    /** Pending events whose time has come, oldest first. */
    List<PagingEvent> due(Instant now);

    void delivered(long id, Instant at);

    void retryAt(long id, Instant notBefore, String error);

    /** PagerDuty refused it (400): never sent again. */
    void rejected(long id, String error);

    /** The routing keys (by name) the incident's events were triggered on, in the order first used. */
    List<String> triggeredOn(long incidentNumber);

    /** The incident an event with this deduplication key belongs to. */
    Optional<Long> incidentOf(String dedupKey);

    long countPending();
}
