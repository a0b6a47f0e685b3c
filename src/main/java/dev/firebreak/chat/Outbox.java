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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * Every message the bot posts is queued here first, in the store (cleaned of secrets and control
 * characters by {@link OutboundText} before it is stored), and delivered in order per
 * channel: a platform's "slow down" is honoured (Retry-After), posting is paced per channel,
 * transient failures back off, and anything queued before a crash goes out after the restart.
 *
 * <p>Channels are delivered concurrently, so a slow or rate-limited channel holds only itself. A
 * message over a platform's limits goes out in parts, each tracked in the store: a failure retries
 * only the part that failed, never the parts already posted. Before a part is sent it is recorded
 * as attempted; when its answer was lost (a timeout, a crash) the part is looked up on the platform
 * by its key before it is sent again ({@link ChatPlatform#findPosted}), so nothing appears twice.
 *
 * <p>The worker keeps, in memory, each lane with messages waiting and when it is next due (now for
 * a message just queued, the Retry-After or the channel's pacing for one that has to wait), and
 * sleeps until the earliest of them, woken early by anything queued. Every {@code rescanEvery} it
 * reads from the store what it cannot know of: the messages queued since it last looked (by another
 * replica, or before this one started), never the whole queue again, so a rescan costs the same
 * however many messages wait.
 */
public final class Outbox {

    private record ChannelKey(String platform, String channelId) {}

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /**
     * How many of a lane's waiting messages a round reads from the store at a time. A paced lane
     * delivers one message and then waits, so reading its whole backlog (bodies and all) for each
     * message made a burst of queued posts cost the square of its length; the next batch is read
     * once this one has gone out.
     */
    static final int BATCH = 16;

    private final OutboxStore store;
    private final Clock clock;
    private final Map<String, ChatPlatform> platforms = new HashMap<>();
    private final Map<String, Duration> pacing = new HashMap<>();
    private final Map<ChannelKey, Instant> lastPostByChannel = new ConcurrentHashMap<>();
    /** The delivery round under way for each lane: a channel, or a whole platform that posts in one lane. */
    private final Map<ChannelKey, Future<Integer>> inFlight = new ConcurrentHashMap<>();
    /** The lanes with messages waiting, each with when it is next due. */
    private final Map<ChannelKey, Instant> due = new ConcurrentHashMap<>();
    private final ExecutorService channels = Executors.newVirtualThreadPerTaskExecutor();
    private final Object signal = new Object();
    private volatile boolean running;
    /** Set when something is queued or a round ends, so the worker looks again before it sleeps (no lost wake-up). */
    private boolean wokenSinceLastLook;
    private Thread worker;
    private final Duration rescanEvery;
    private volatile Instant nextRescan = Instant.MIN;
    /** The rescans read the entries after this id (see {@link #rescan()}); guarded by {@code this}. */
    private long rescannedAfter;
    /** The id of the entry queued last when the previous rescan began. */
    private long lastQueuedAtPreviousRescan;
    private volatile BooleanSupplier mayPost = () -> true;

    public Outbox(OutboxStore store, Clock clock) {
        this(store, clock, Duration.ofSeconds(1));
    }

    /**
     * @param rescanEvery how often the worker reads the messages queued since it last looked, for
     *                    those it was not told of (queued by another replica); also how long it waits
     *                    before trying again while this replica may not post, or after a failed round
     */
    Outbox(OutboxStore store, Clock clock, Duration rescanEvery) {
        this.store = store;
        this.clock = clock;
        this.rescanEvery = rescanEvery;
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

    /**
     * Whether {@code message} goes out as one post on a registered platform, as it will be queued
     * (cleaned first); true on a platform not registered. Long output is paged by it
     * ({@link ChatPlatform#fitsOnePost}).
     */
    public boolean fitsOnePost(String platform, Message message) {
        ChatPlatform registered = platforms.get(platform);
        return registered == null || registered.fitsOnePost(OutboundText.clean(message));
    }

    /** A web link to a channel on a registered platform ({@link ChatPlatform#channelLink}); empty for one that has none. */
    public Optional<String> channelLink(String platform, String channelId) {
        ChatPlatform registered = platforms.get(platform);
        return registered == null ? Optional.empty() : registered.channelLink(channelId);
    }

    public long enqueue(String platform, String channelId, Message message) {
        return enqueue(platform, channelId, message, false, List.of());
    }

    /** Queues a message; returns its outbox id, which later maps to the platform's message id. */
    public long enqueue(String platform, String channelId, Message message, boolean pin, List<String> botReactions) {
        long id = store.add(platform, channelId, body(message), pin, botReactions, clock.instant());
        queued(platform, channelId);
        return id;
    }

    /**
     * The one message known by {@code key} (e.g. an alert group's in an alerts channel): queued the
     * first time, and every later time an edit of it to read {@code message}. The key is stored with
     * the message, in one statement, so a crash at any point leaves either no message or the one
     * that later calls edit, never two. Returns the id of what was queued.
     */
    public long postOrEdit(String key, String platform, String channelId, Message message) {
        Optional<Long> original = store.findByKey(key);
        if (original.isPresent()) return enqueueEdit(original.get(), message);
        Optional<Long> posted = store.addKeyed(key, platform, channelId, body(message), false, clock.instant());
        if (posted.isEmpty()) return enqueueEdit(store.findByKey(key).orElseThrow(), message); // queued meanwhile by another replica
        queued(platform, channelId);
        return posted.get();
    }

    /**
     * The one message known by {@code key} (an incident's kickoff): queued the first time, and
     * nothing later times, so a declaration finished again after a restart posts it once. Returns
     * its outbox id.
     */
    public long enqueueOnce(String key, String platform, String channelId, Message message, boolean pin) {
        Optional<Long> posted = store.addKeyed(key, platform, channelId, body(message), pin, clock.instant());
        if (posted.isEmpty()) return store.findByKey(key).orElseThrow(); // queued before
        queued(platform, channelId);
        return posted.get();
    }

    private static String body(Message message) {
        try {
            return JSON.writeValueAsString(OutboundText.clean(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Queues an edit of the message queued as {@code original}: in order with the channel's other
     * messages, it changes that message to {@code message} once it has been posted. When several
     * edits of one message wait, only the last is sent. Returns the edit's outbox id.
     */
    public long enqueueEdit(long original, Message message) {
        long id = store.addEdit(original, body(message), clock.instant());
        queued(id);
        return id;
    }

    /**
     * Queues a new message in the thread of the message queued as {@code parent}, in order with the
     * channel's other messages (so after the parent). When the parent could not be posted, the reply
     * is posted in the channel. Returns its outbox id.
     */
    public long enqueueReply(long parent, Message message) {
        long id = store.addReply(parent, body(message), clock.instant());
        queued(id);
        return id;
    }

    /** Marks the lane of a message just queued as due now and wakes the worker. */
    private void queued(String platform, String channelId) {
        ChannelKey lane = laneOf(platform, channelId);
        if (lane != null) due.merge(lane, clock.instant(), Outbox::earlier);
        wakeUp();
    }

    private void queued(long id) {
        store.find(id).ifPresentOrElse(entry -> queued(entry.platform(), entry.channelId()), this::wakeUp);
    }

    /** The lane a channel's messages are delivered in; null for a platform not registered. */
    private ChannelKey laneOf(String platform, String channelId) {
        ChatPlatform registered = platforms.get(platform);
        if (registered == null) return null;
        return new ChannelKey(platform, registered.postsInParallel() ? channelId : null);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void wakeUp() {
        synchronized (signal) {
            wokenSinceLastLook = true;
            signal.notifyAll();
        }
    }

    /**
     * Delivers every entry that is due now, in order per channel, and returns how many went out.
     * Channels are delivered concurrently, each by one round at a time; a channel another round is
     * delivering is waited for and then delivered again, so everything due has gone out on return.
     */
    public int deliverDue() {
        rescan();
        int sent = 0;
        for (int pass = 0; pass < 2; pass++) {
            List<Future<Integer>> mine = new ArrayList<>();
            List<Future<Integer>> others = new ArrayList<>();
            startDueChannels(mine, others);
            sent += await(mine);
            await(others);
            if (others.isEmpty()) break;
        }
        return sent;
    }

    private static int await(List<Future<Integer>> rounds) {
        int sent = 0;
        for (Future<Integer> round : rounds) {
            try {
                sent += round.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                log.warn("Outbox delivery failed: {}", e.getCause().toString());
            }
        }
        return sent;
    }

    /**
     * Reads the messages waiting that were queued since the rescan before the last one (the first
     * rescan reads all of them): their lanes become due when their first message is. A lane once
     * known stays due until a round finds it empty, so the earlier messages need no second read.
     * The one rescan of overlap is for an id given out before a higher one but committed after it
     * (PostgreSQL hands out ids as inserts start): it is read as long as it commits within a rescan.
     * The worker rescans every {@code rescanEvery}; {@link #deliverDue()} every time.
     */
    private synchronized void rescan() {
        long lastQueued = store.lastQueuedId();
        Set<ChannelKey> seen = new LinkedHashSet<>();
        for (OutboxStore.Entry entry : store.pendingAfter(rescannedAfter)) {
            ChannelKey lane = laneOf(entry.platform(), entry.channelId());
            if (lane != null && seen.add(lane)) due.merge(lane, entry.notBefore(), Outbox::earlier);
        }
        rescannedAfter = lastQueuedAtPreviousRescan;
        lastQueuedAtPreviousRescan = lastQueued;
        nextRescan = clock.instant().plus(rescanEvery);
    }

    /**
     * Starts one delivery round for each lane that is due and that no round is delivering yet
     * (into {@code started}); rounds already under way for a due lane go into {@code underWay}.
     */
    private void startDueChannels(List<Future<Integer>> started, List<Future<Integer>> underWay) {
        Instant now = clock.instant();
        for (Map.Entry<ChannelKey, Instant> lane : List.copyOf(due.entrySet())) {
            if (lane.getValue().isAfter(now)) continue;
            Future<Integer> running = inFlight.get(lane.getKey());
            if (running != null) {
                underWay.add(running); // stays due: the round's end wakes the worker to look again
                continue;
            }
            due.remove(lane.getKey(), lane.getValue());
            FutureTask<Integer> round = new FutureTask<>(() -> {
                try {
                    return deliverChannel(lane.getKey());
                } catch (RuntimeException e) { // e.g. the store failed: the lane is tried again, no rescan would bring it back
                    due.merge(lane.getKey(), clock.instant().plus(rescanEvery), Outbox::earlier);
                    throw e;
                } finally {
                    inFlight.remove(lane.getKey());
                    wakeUp();
                }
            });
            running = inFlight.putIfAbsent(lane.getKey(), round);
            if (running != null) {
                due.merge(lane.getKey(), now, Outbox::earlier);
                underWay.add(running);
                continue;
            }
            channels.execute(round);
            started.add(round);
        }
    }

    /**
     * How long the worker may sleep now: until the earliest lane comes due (one a round is
     * delivering does not count, its round's end wakes the worker) or the next rescan, whichever
     * is first; zero when something is due.
     */
    Duration untilNextRound() {
        Instant now = clock.instant();
        Instant next = nextRescan;
        for (Map.Entry<ChannelKey, Instant> lane : due.entrySet()) {
            if (!inFlight.containsKey(lane.getKey())) next = earlier(next, lane.getValue());
        }
        return next.isAfter(now) ? Duration.between(now, next) : Duration.ZERO;
    }

    /**
     * Delivers a channel's due entries in order, part by part, until one has to wait; returns how
     * many completed. A lane left with entries waiting is marked due again at the time it can go on.
     */
    private int deliverChannel(ChannelKey channel) {
        ChatPlatform platform = platforms.get(channel.platform());
        int sent = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            List<OutboxStore.Entry> entries = channel.channelId() == null
                    ? store.pendingOn(channel.platform(), BATCH)
                    : store.pendingIn(channel.platform(), channel.channelId(), BATCH);
            for (OutboxStore.Entry entry : entries) {
                if (entry.notBefore().isAfter(clock.instant())) {
                    due.merge(channel, entry.notBefore(), Outbox::earlier);
                    return sent;
                }
                Delivery delivery = deliver(platform, new ChannelKey(entry.platform(), entry.channelId()), entry);
                if (!delivery.complete()) {
                    due.merge(channel, delivery.retryAt(), Outbox::earlier);
                    return sent;
                }
                sent++;
                progress = true;
            }
        }
        return sent;
    }

    /** An entry delivered (or given up on), or waiting until {@code retryAt}. */
    private record Delivery(boolean complete, Instant retryAt) {
        static final Delivery COMPLETE = new Delivery(true, null);

        static Delivery waitingUntil(Instant retryAt) {
            return new Delivery(false, retryAt);
        }
    }

    private Delivery deliver(ChatPlatform platform, ChannelKey channel, OutboxStore.Entry entry) {
        Message message;
        try {
            message = JSON.readValue(entry.body(), Message.class);
        } catch (JsonProcessingException e) {
            store.failed(entry.id(), "unreadable message body");
            return Delivery.COMPLETE;
        }
        if (entry.editOf() != null) return edit(platform, channel, entry, message);
        Map<Integer, OutboxStore.Part> tried = new HashMap<>();
        if (entry.tried()) { // a message never tried (most) costs no read of its parts
            for (OutboxStore.Part part : store.parts(entry.id())) tried.put(part.part(), part);
        }
        int count = platform.partCount(message);
        String threadOf = entry.replyTo() == null ? null
                : store.find(entry.replyTo()).map(OutboxStore.Entry::platformMessageId).orElse(null);
        String firstPostId = Optional.ofNullable(tried.get(0)).map(OutboxStore.Part::platformMessageId).orElse(null);
        for (int index = 0; index < count; index++) {
            OutboxStore.Part known = tried.get(index);
            if (known != null && known.delivered()) continue;
            Instant now = clock.instant();
            Instant paceUntil = Optional.ofNullable(lastPostByChannel.get(channel))
                    .map(t -> t.plus(pacing.getOrDefault(channel.platform(), Duration.ZERO))).orElse(Instant.MIN);
            if (paceUntil.isAfter(now)) return Delivery.waitingUntil(paceUntil);
            if (!mayPost.getAsBoolean()) {
                log.warn("Not delivering: this replica is not the leader; the messages stay queued for the one that is.");
                return Delivery.waitingUntil(now.plus(rescanEvery));
            }
            ChatPlatform.Part part = new ChatPlatform.Part(index, "fb" + entry.id() + "." + index, firstPostId, threadOf);
            String messageId;
            try {
                Optional<String> lost = known == null ? Optional.empty() : platform.findPosted(entry.channelId(), part);
                if (lost.isPresent()) {
                    log.info("Outbox message {} part {} was posted before its answer was lost; not posting it again",
                            entry.id(), index);
                    messageId = lost.get();
                } else {
                    store.partAttempted(entry.id(), index, now);
                    messageId = platform.postPart(entry.channelId(), message, part);
                    lastPostByChannel.put(channel, clock.instant());
                }
            } catch (ChatException e) {
                if (e.permanent()) {
                    log.warn("Giving up on outbox message {} to {} channel {}: {}", entry.id(), entry.platform(),
                            entry.channelId(), e.getMessage());
                    store.partRefused(entry.id(), index);
                    store.failed(entry.id(), e.getMessage());
                    return Delivery.COMPLETE;
                }
                if (e.retryAfter().isPresent()) store.partRefused(entry.id(), index);
                Duration wait = e.retryAfter().orElseGet(() -> backoff(entry.attempts()));
                log.info("Outbox message {} part {} to {} postponed by {} ms: {}", entry.id(), index, entry.platform(),
                        wait.toMillis(), e.getMessage());
                store.postpone(entry.id(), now.plus(wait), e.getMessage());
                return Delivery.waitingUntil(now.plus(wait));
            } catch (RuntimeException e) {
                Duration wait = backoff(entry.attempts());
                log.warn("Outbox message {} part {} to {} failed, retrying in {} ms: {}", entry.id(), index,
                        entry.platform(), wait.toMillis(), e.toString());
                store.postpone(entry.id(), now.plus(wait), e.getClass().getSimpleName());
                return Delivery.waitingUntil(now.plus(wait));
            }
            store.partDelivered(entry.id(), index, messageId, clock.instant());
            if (index == 0) firstPostId = messageId;
        }
        store.delivered(entry.id(), firstPostId, clock.instant());
        afterDelivery(platform, entry, firstPostId);
        return Delivery.COMPLETE;
    }

    /** Edits the posted message an entry names; an edit a later one overtakes is skipped, one of a message never posted fails. */
    private Delivery edit(ChatPlatform platform, ChannelKey channel, OutboxStore.Entry entry, Message message) {
        if (store.editPendingAfter(entry.id(), entry.editOf())) {
            store.delivered(entry.id(), null, clock.instant());
            return Delivery.COMPLETE;
        }
        Optional<OutboxStore.Entry> original = store.find(entry.editOf());
        if (original.isEmpty() || original.get().platformMessageId() == null) {
            store.failed(entry.id(), "the message to edit was never posted");
            return Delivery.COMPLETE;
        }
        Instant now = clock.instant();
        if (!mayPost.getAsBoolean()) return Delivery.waitingUntil(now.plus(rescanEvery));
        try {
            platform.edit(entry.channelId(), original.get().platformMessageId(), message);
            lastPostByChannel.put(channel, clock.instant());
        } catch (ChatException e) {
            if (e.permanent()) {
                log.warn("Giving up on edit {} of outbox message {}: {}", entry.id(), entry.editOf(), e.getMessage());
                store.failed(entry.id(), e.getMessage());
                return Delivery.COMPLETE;
            }
            Duration wait = e.retryAfter().orElseGet(() -> backoff(entry.attempts()));
            store.postpone(entry.id(), now.plus(wait), e.getMessage());
            return Delivery.waitingUntil(now.plus(wait));
        } catch (RuntimeException e) {
            Duration wait = backoff(entry.attempts());
            store.postpone(entry.id(), now.plus(wait), e.getClass().getSimpleName());
            return Delivery.waitingUntil(now.plus(wait));
        }
        store.delivered(entry.id(), null, clock.instant());
        return Delivery.COMPLETE;
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

    /**
     * Starts delivering in the background: whenever something is queued, when a waiting lane comes
     * due (a Retry-After, the channel's pacing), and after reading what was queued since the last
     * look every {@code rescanEvery}.
     */
    public void start() {
        running = true;
        worker = Thread.ofVirtual().name("outbox").start(() -> {
            while (running) {
                synchronized (signal) {
                    wokenSinceLastLook = false;
                }
                try {
                    if (!clock.instant().isBefore(nextRescan)) rescan();
                    startDueChannels(new ArrayList<>(), new ArrayList<>());
                } catch (RuntimeException e) {
                    log.warn("Outbox delivery round failed: {}", e.toString());
                    nextRescan = clock.instant().plus(rescanEvery);
                }
                synchronized (signal) {
                    try {
                        long wait = Math.max(1, untilNextRound().toMillis());
                        if (!wokenSinceLastLook && running) signal.wait(wait);
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
