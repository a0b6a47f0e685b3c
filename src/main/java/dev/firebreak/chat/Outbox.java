package dev.firebreak.chat;

import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.OutboundText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every message the bot posts is queued here first, in the store (cleaned of secrets and control
 * characters by {@link OutboundText} before it is stored), and delivered in order per
 * channel: a platform's "slow down" is honoured (Retry-After), posting is paced per channel,
 * transient failures back off, and anything queued before a crash goes out after the restart.
 * Delivery is at least once: a crash between the platform accepting a message and the store
 * recording it can repeat that one message.
 */
public final class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final OutboxStore store;
    private final Clock clock;
    private final Map<String, ChatPlatform> platforms = new HashMap<>();
    private final Map<String, Duration> pacing = new HashMap<>();
    private final Map<String, Instant> lastPostByChannel = new HashMap<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final Object signal = new Object();
    private volatile boolean running;
    /** Set when something is queued, so a message queued during a delivery round is not left for the next tick. */
    private boolean queuedSinceLastRound;
    private Thread worker;
    private final Duration idleWait;
    private volatile BooleanSupplier mayPost = () -> true;

    public Outbox(OutboxStore store, Clock clock) {
        this(store, clock, Duration.ofSeconds(1));
    }

    /**
     * @param idleWait how long the delivery worker sleeps when nothing was queued: the safety tick
     *                 that picks up postponed messages (rate limits, pacing) when they come due
     */
    Outbox(OutboxStore store, Clock clock, Duration idleWait) {
        this.store = store;
        this.clock = clock;
        this.idleWait = idleWait;
    }

    /**
     * The fencing check made before every post: with replicas, whether this process still leads.
     * When it says no, nothing is posted and the messages stay queued for the leader.
     */
    public void fence(BooleanSupplier mayPost) {
        this.mayPost = mayPost;
    }

    /** Registers a platform to deliver to, posting at most one message per {@code perChannel} in each channel. */
    public void register(ChatPlatform platform, Duration perChannel) {
        platforms.put(platform.name(), platform);
        pacing.put(platform.name(), perChannel);
    }

    public long enqueue(String platform, String channelId, Message message) {
        return enqueue(platform, channelId, message, false, List.of());
    }

    /** Queues a message; returns its outbox id, which later maps to the platform's message id. */
    public long enqueue(String platform, String channelId, Message message, boolean pin, List<String> botReactions) {
        String body;
        try {
            body = JSON.writeValueAsString(OutboundText.clean(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        long id = store.add(platform, channelId, body, pin, botReactions, clock.instant());
        synchronized (signal) {
            queuedSinceLastRound = true;
            signal.notifyAll();
        }
        return id;
    }

    /**
     * Delivers every entry that is due now, in order per channel, and returns how many went out.
     * Safe to call from several threads; one delivers at a time.
     */
    public int deliverDue() {
        delivering.lock();
        try {
            int sent = 0;
            Set<String> blockedChannels = new HashSet<>();
            for (OutboxStore.Entry entry : store.pending()) {
                String channelKey = entry.platform() + ":" + entry.channelId();
                ChatPlatform platform = platforms.get(entry.platform());
                if (platform == null || blockedChannels.contains(channelKey)) continue;
                Instant now = clock.instant();
                Instant paceUntil = Optional.ofNullable(lastPostByChannel.get(channelKey))
                        .map(t -> t.plus(pacing.getOrDefault(entry.platform(), Duration.ZERO))).orElse(Instant.MIN);
                if (entry.notBefore().isAfter(now) || paceUntil.isAfter(now)) {
                    blockedChannels.add(channelKey);
                    continue;
                }
                if (!mayPost.getAsBoolean()) {
                    log.warn("Not delivering: this replica is not the leader; the messages stay queued for the one that is.");
                    break;
                }
                if (deliver(platform, entry, now)) {
                    sent++;
                    lastPostByChannel.put(channelKey, now);
                } else {
                    blockedChannels.add(channelKey);
                }
            }
            return sent;
        } finally {
            delivering.unlock();
        }
    }

    private boolean deliver(ChatPlatform platform, OutboxStore.Entry entry, Instant now) {
        Message message;
        try {
            message = JSON.readValue(entry.body(), Message.class);
        } catch (JsonProcessingException e) {
            store.failed(entry.id(), "unreadable message body");
            return true;
        }
        String messageId;
        try {
            messageId = platform.post(entry.channelId(), message);
        } catch (ChatException e) {
            if (e.permanent()) {
                log.warn("Giving up on outbox message {} to {} channel {}: {}", entry.id(), entry.platform(),
                        entry.channelId(), e.getMessage());
                store.failed(entry.id(), e.getMessage());
                return true;
            }
            Duration wait = e.retryAfter().orElseGet(() -> backoff(entry.attempts()));
            log.info("Outbox message {} to {} postponed by {} ms: {}", entry.id(), entry.platform(), wait.toMillis(), e.getMessage());
            store.postpone(entry.id(), now.plus(wait), e.getMessage());
            return false;
        } catch (RuntimeException e) {
            Duration wait = backoff(entry.attempts());
            log.warn("Outbox message {} to {} failed, retrying in {} ms: {}", entry.id(), entry.platform(), wait.toMillis(), e.toString());
            store.postpone(entry.id(), now.plus(wait), e.getClass().getSimpleName());
            return false;
        }
        store.delivered(entry.id(), messageId, clock.instant());
        afterDelivery(platform, entry, messageId);
        return true;
    }

    private void afterDelivery(ChatPlatform platform, OutboxStore.Entry entry, String messageId) {
        try {
            if (entry.pin()) platform.pin(entry.channelId(), messageId);
            for (String emoji : entry.botReactions()) platform.react(entry.channelId(), messageId, emoji);
        } catch (RuntimeException e) {
            log.warn("Could not pin or react to message {} in {}: {}", messageId, entry.platform(), e.getMessage());
        }
    }

    private static Duration backoff(int attempts) {
        Duration wait = Duration.ofSeconds(1L << Math.min(attempts, 6));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    public Optional<OutboxStore.Entry> find(long id) {
        return store.find(id);
    }

    /**
     * The message delivered as this platform message in this channel (a Slack ts is unique only
     * within its channel); with a null channel, wherever it was (see {@link Inbound.Reaction}).
     */
    public Optional<OutboxStore.Entry> findByPlatformMessage(String platform, String channelId, String messageId) {
        return store.findByPlatformMessage(platform, channelId, messageId);
    }

    /** The message Firebreak posted as {@code messageId} in {@code channelId}, when it went through this outbox. */
    public Optional<Message> postedMessage(String platform, String channelId, String messageId) {
        return findByPlatformMessage(platform, channelId, messageId).flatMap(entry -> {
            try {
                return Optional.of(JSON.readValue(entry.body(), Message.class));
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        });
    }

    public long depth() {
        return store.countPending();
    }

    /** How long the longest-waiting undelivered message has waited; zero when nothing is waiting. */
    public Duration oldestPendingAge() {
        return store.oldestPendingQueuedAt().map(queued -> Duration.between(queued, clock.instant()))
                .filter(age -> !age.isNegative()).orElse(Duration.ZERO);
    }

    /** Starts delivering in the background: whenever something is queued, and at least every second. */
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("outbox").start(() -> {
            while (running) {
                synchronized (signal) {
                    queuedSinceLastRound = false;
                }
                try {
                    deliverDue();
                } catch (RuntimeException e) {
                    log.warn("Outbox delivery round failed: {}", e.toString());
                }
                synchronized (signal) {
                    try {
                        if (!queuedSinceLastRound && running) signal.wait(idleWait.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        });
    }

    public void stop() {
        running = false;
        if (worker != null) {
            synchronized (signal) {
                signal.notifyAll();
            }
            try {
                worker.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
