package dev.firebreak.paging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.chat.Outbox;
import dev.firebreak.incident.Incident;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Redactor;
import dev.firebreak.kernel.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * PagerDuty paging through a durable queue in the store: every event is written first and sent
 * afterwards, by {@link #deliverDue()} (driven by the clock, and started right after an event is
 * queued). 429, 5xx and network errors are tried again with a growing delay; a 400 (or any other
 * refusal) is reported once in the incident channel and never sent again. The deduplication key
 * is the incident's for every event, so PagerDuty keeps one alert per incident and service.
 */
public final class PagerDutyQueue implements Pager, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PagerDutyQueue.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(5);
    private static final int SUMMARY_LIMIT = 1024;

    private final PagingEventStore store;
    private final PagerDutySettings settings;
    private final Map<String, Secret> routingKeys;
    private final PagerDutyEvents events;
    private final Outbox outbox;
    private final Clock clock;
    /** Delivers right after an event is queued, one round at a time; closing waits for the round under way. */
    private final java.util.concurrent.ExecutorService delivery = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("pagerduty-delivery").factory());
    private final java.util.concurrent.atomic.AtomicBoolean roundQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final List<DeliveryListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What became of one attempt to deliver an event: PagerDuty took it, it is tried again later, or it was refused for good. */
    public enum Delivery { ACCEPTED, RETRIED, REFUSED }

    /** Told of every delivery attempt, with the event's action (trigger, acknowledge, resolve). */
    @FunctionalInterface
    public interface DeliveryListener {
        void delivered(String action, Delivery outcome);
    }

    /** @param routingKeys the routing keys by the names events refer to them by */
    public PagerDutyQueue(PagingEventStore store, PagerDutySettings settings, Map<String, Secret> routingKeys, Outbox outbox, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.routingKeys = Map.copyOf(routingKeys);
        this.events = new PagerDutyEvents(settings.eventsUrl());
        this.outbox = outbox;
        this.clock = clock;
    }

    private volatile java.util.function.BooleanSupplier mayPage = () -> true;

    /** The fencing check made before each delivery round: a replica that no longer leads pages nobody. */
    public void fence(java.util.function.BooleanSupplier mayPage) {
        this.mayPage = mayPage;
    }

    public void onDelivery(DeliveryListener listener) {
        listeners.add(listener);
    }

    private void told(PagingEventStore.PagingEvent event, Delivery outcome) {
        for (DeliveryListener listener : listeners) listener.delivered(event.action(), outcome);
    }

    /** The same deduplication key for every event of one incident, and never one of another store's incident of the same number. */
    public static String dedupKey(Incident incident) {
        return "firebreak-" + incident.id() + "-" + incident.declaredAt().toEpochMilli();
    }

    /** PagerDuty's four severities, from the incident's: P0 critical, P1 error, P2 warning, anything lower info. */
    static String severity(String id) {
        return switch (id.toUpperCase(java.util.Locale.ROOT)) {
            case "P0" -> "critical";
            case "P1" -> "error";
            case "P2" -> "warning";
            default -> "info";
        };
    }

    @Override
    public void trigger(Incident incident, String routingKey, String summary) {
        ObjectNode event = JSON.createObjectNode();
        event.put("event_action", "trigger");
        event.put("dedup_key", dedupKey(incident));
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", summary.length() > SUMMARY_LIMIT ? summary.substring(0, SUMMARY_LIMIT - 1) + "…" : summary);
        payload.put("source", settings.source());
        payload.put("severity", severity(incident.severity()));
        payload.put("timestamp", incident.declaredAt().toString());
        payload.put("component", incident.platform() + " #" + incident.channelName());
        payload.put("group", incident.id());
        payload.put("class", incident.severity());
        ObjectNode details = payload.putObject("custom_details");
        details.put("incident", incident.id());
        details.put("channel", "#" + incident.channelName());
        details.put("platform", incident.platform());
        outbox.channelLink(incident.platform(), incident.channelId()).ifPresent(link -> event.putArray("links").addObject()
                .put("href", link).put("text", "#" + incident.channelName() + " (" + incident.platform() + ")"));
        event.put("client", "Firebreak");
        enqueue(incident, "trigger", routingKey, event);
    }

    @Override
    public void acknowledge(Incident incident) {
        forEachTriggered(incident, "acknowledge");
    }

    @Override
    public void resolve(Incident incident) {
        forEachTriggered(incident, "resolve");
    }

    private void forEachTriggered(Incident incident, String action) {
        for (String routingKey : store.triggeredOn(incident.number())) {
            ObjectNode event = JSON.createObjectNode();
            event.put("event_action", action);
            event.put("dedup_key", dedupKey(incident));
            enqueue(incident, action, routingKey, event);
        }
    }

    private void enqueue(Incident incident, String action, String routingKey, ObjectNode event) {
        store.add(incident.number(), dedupKey(incident), action, routingKey, event.toString(), incident.platform(), incident.channelId(),
                clock.instant());
        if (delivery.isShutdown() || !roundQueued.compareAndSet(false, true)) return;
        try {
            delivery.execute(() -> {
                roundQueued.set(false);
                try {
                    deliverDue();
                } catch (RuntimeException e) {
                    log.warn("PagerDuty delivery failed: {}; the clock tries again", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            roundQueued.set(false); // the clock delivers it after the restart
        }
    }

    /** Lets the round under way finish (its answer is recorded), so no event is sent twice after a restart. */
    @Override
    public void close() {
        delivery.shutdown();
        try {
            if (!delivery.awaitTermination(15, java.util.concurrent.TimeUnit.SECONDS)) delivery.shutdownNow();
        } catch (InterruptedException e) {
            delivery.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Sends every event whose time has come, oldest first; returns how many PagerDuty accepted. */
    public synchronized int deliverDue() {
        int accepted = 0;
        for (PagingEventStore.PagingEvent event : store.due(clock.instant())) {
            if (!mayPage.getAsBoolean()) {
                log.warn("Not paging: this replica is not the leader; the events stay queued for the one that is.");
                break;
            }
            Secret key = routingKeys.get(event.routingKey());
            if (key == null || !key.isPresent()) {
                store.rejected(event.id(), "no routing key named " + event.routingKey());
                report(event, "its routing key (" + event.routingKey() + ") is no longer configured in bot/oncall.yaml");
                told(event, Delivery.REFUSED);
                continue;
            }
            ObjectNode body;
            try {
                body = (ObjectNode) JSON.readTree(event.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable paging event " + event.id(), e);
            }
            ObjectNode sent = JSON.createObjectNode().put("routing_key", key.reveal());
            sent.setAll(body);
            PagerDutyEvents.Answer answer = events.send(sent.toString());
            switch (answer) {
                case PagerDutyEvents.Answer.Accepted a -> {
                    store.delivered(event.id(), clock.instant());
                    accepted++;
                    told(event, Delivery.ACCEPTED);
                }
                case PagerDutyEvents.Answer.TryAgain again -> {
                    Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(event.attempts(), 10));
                    if (delay.compareTo(LONGEST_RETRY) > 0) delay = LONGEST_RETRY;
                    store.retryAt(event.id(), clock.instant().plus(delay), Redactor.redact(again.why()));
                    log.info("PagerDuty did not take the {} event of incident {} ({}); trying again in {}s", event.action(),
                            event.incidentNumber(), Redactor.redact(again.why()), delay.toSeconds());
                    told(event, Delivery.RETRIED);
                }
                case PagerDutyEvents.Answer.Refused refused -> {
                    String why = "HTTP " + refused.status() + (refused.body().isBlank() ? "" : ": " + shorten(Redactor.redact(refused.body())));
                    store.rejected(event.id(), why);
                    report(event, "PagerDuty answered " + why);
                    told(event, Delivery.REFUSED);
                }
            }
        }
        return accepted;
    }

    private void report(PagingEventStore.PagingEvent event, String why) {
        outbox.enqueue(event.platform(), event.channelId(), Message.builder()
                .paragraph(Icon.ERROR, "PagerDuty refused the " + event.action() + " event of INC-" + event.incidentNumber()
                        + ": " + why + ". It is not sent again; nobody was paged by it.")
                .note("Check the routing key (PAGERDUTY_ROUTING_KEY or the one named in bot/oncall.yaml) and PAGERDUTY_EVENTS_URL.")
                .build());
    }

    private static String shorten(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() > 300 ? line.substring(0, 299) + "…" : line;
    }

    /** Events still to be delivered. */
    public long depth() {
        return store.countPending();
    }

    /** The incident an event with this deduplication key belongs to (for PagerDuty's webhook). */
    public java.util.Optional<Long> incidentOf(String dedupKey) {
        return store.incidentOf(dedupKey);
    }
}
