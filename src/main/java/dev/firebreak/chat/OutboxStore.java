package dev.firebreak.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Durable storage behind the {@link Outbox}. */
public interface OutboxStore {

    long add(String platform, String channelId, String body, boolean pin, List<String> botReactions, Instant at);

    /**
     * Queues a message under {@code key} (pinned once posted when {@code pin}), unless a message
     * already has that key: then nothing is queued and the answer is empty. Returns the new message's id.
     */
    Optional<Long> addKeyed(String key, String platform, String channelId, String body, boolean pin, Instant at);

    /** The id of the message queued under {@code key}, if there is one. */
    Optional<Long> findByKey(String key);

    /** Queues an edit of the message {@code original} (in its channel) to read {@code body}; returns the edit's id. */
    long addEdit(long original, String body, Instant at);

    /** Queues a new message in the thread of the message {@code parent} (in its channel); returns its id. */
    long addReply(long parent, String body, Instant at);

    /** Undelivered entries queued after the entry {@code id} (all of them after 0), in the order they were queued. */
    List<Entry> pendingAfter(long id);

    /** The id of the entry queued last, delivered or not; 0 when none was. */
    long lastQueuedId();

    /** The first {@code limit} undelivered entries of one platform, in the order they were queued. */
    List<Entry> pendingOn(String platform, int limit);

    /** The first {@code limit} undelivered entries of one channel, in the order they were queued. */
    List<Entry> pendingIn(String platform, String channelId, int limit);

    /** Whether an undelivered edit of {@code original} was queued after the entry {@code id}. */
    boolean editPendingAfter(long id, long original);

    /** The parts of an entry tried so far, by part number. */
    List<Part> parts(long id);

    /** Records that a part is about to be sent: if no answer is recorded later, it may have been posted. */
    void partAttempted(long id, int part, Instant at);

    /** Forgets an attempt the platform definitely refused (a 429 or a permanent error), so it is sent again without a look-up. */
    void partRefused(long id, int part);

    void partDelivered(long id, int part, String platformMessageId, Instant at);

    void delivered(long id, String platformMessageId, Instant at);

    void postpone(long id, Instant notBefore, String error);

    void failed(long id, String error);

    Optional<Entry> find(long id);

    /** The entry delivered as this platform message in this channel (in any channel when {@code channelId} is null). */
    Optional<Entry> findByPlatformMessage(String platform, String channelId, String platformMessageId);

    long countPending();

    /** When the longest-waiting undelivered entry was queued; empty when nothing is waiting. */
    Optional<Instant> oldestPendingQueuedAt();

    /** How many messages (not edits) have been delivered on a platform (the console numbers its messages with it). */
    long countDelivered(String platform);

    /** One part of an entry; {@code platformMessageId} is null while the platform's answer is unknown. */
    record Part(int part, String platformMessageId) {
        public boolean delivered() {
            return platformMessageId != null;
        }
    }

    /**
     * @param editOf  the entry this one edits, or null for a new message
     * @param replyTo the entry in whose thread this new message goes, or null for a message of its own
     * @param tried   whether any part of it was attempted ({@link #parts} has rows)
     */
    record Entry(long id, String platform, String channelId, String body, boolean pin, List<String> botReactions,
                 int attempts, Instant notBefore, String platformMessageId, Long editOf, Long replyTo, boolean tried) {}
}
