package dev.firebreak.alert;

import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Outbox;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.Severity;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Takes Alertmanager notifications in: groups by {@code groupKey}, tracks each alert by its
 * fingerprint, applies the first matching rule of {@code bot/alerts.yaml} when a group first
 * arrives, keeps one message per group in the alerts channel, edited as the group changes, and
 * says in the incident's channel what changed. A repeat changes and posts nothing. A group that is all resolved asks the incident's commander whether
 * to resolve: Firebreak never resolves an incident by itself.
 */
public final class AlertIntake {

    private static final Logger log = LoggerFactory.getLogger(AlertIntake.class);
    private static final java.time.format.DateTimeFormatter CHANGED_AT = java.time.format.DateTimeFormatter
            .ofPattern("HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /** What a notification did. */
    public enum Outcome { UNCHANGED, RECORDED }

    /** The source of a notification from Alertmanager (Firebreak's own alerts carry theirs, e.g. {@code message}). */
    public static final String ALERTMANAGER = "alertmanager";

    private final AlertsConfig rules;
    private final AlertStore store;
    private final IncidentService incidents;
    private final ChatPlatforms platforms;
    private final Outbox outbox;
    private final Clock clock;
    private final List<BiConsumer<String, Outcome>> receivedListeners = new ArrayList<>();

    public AlertIntake(AlertsConfig rules, AlertStore store, IncidentService incidents, ChatPlatforms platforms, Outbox outbox,
                       Clock clock) {
        this.rules = rules;
        this.store = store;
        this.incidents = incidents;
        this.platforms = platforms;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Told of every notification taken in: its source ({@link #ALERTMANAGER}, {@code message}) and what it did. */
    public void onReceived(BiConsumer<String, Outcome> listener) {
        receivedListeners.add(listener);
    }

    /**
     * Raises an alert of Firebreak's own (a watcher's finding, a scheduled check's, a message a rule
     * matched): the same rules, grouping, dedupe and posting as an Alertmanager alert; a repeat while
     * firing changes nothing. Counted as received from the signal's source.
     */
    public Outcome raise(AlertSignal signal) {
        return receive(signal.source(), notification(signal, Alert.Status.FIRING));
    }

    /** Resolves an alert {@link #raise} raised; when it was its group's last, the incident's commander is asked. */
    public Outcome resolve(AlertSignal signal) {
        return receive(signal.source(), notification(signal, Alert.Status.RESOLVED));
    }

    private AlertmanagerNotification notification(AlertSignal signal, Alert.Status status) {
        Alert alert = new Alert(signal.fingerprint(), status, signal.labels(), Map.of("summary", signal.summary()), clock.instant());
        return new AlertmanagerNotification(signal.groupKey(), status == Alert.Status.FIRING ? "firing" : "resolved", Map.of(),
                signal.labels(), List.of(alert));
    }

    /** A notification from Alertmanager's webhook. */
    public Outcome receive(AlertmanagerNotification notification) {
        return receive(ALERTMANAGER, notification);
    }

    /**
     * Records what changed and posts it; a store failure propagates before anything is posted.
     * {@code source} is who sent it (a fixed name, never taken from the alert's labels, which
     * anyone sending alerts chooses), for the received-alerts counter.
     */
    public synchronized Outcome receive(String source, AlertmanagerNotification notification) {
        Outcome outcome = take(notification);
        receivedListeners.forEach(listener -> listener.accept(source, outcome));
        return outcome;
    }

    private Outcome take(AlertmanagerNotification notification) {
        Instant now = clock.instant();
        Optional<AlertStore.Group> known = store.group(notification.groupKey());
        Map<String, Alert.Status> before = known.map(AlertStore.Group::alerts).orElse(Map.of());
        Map<String, Alert> latest = new LinkedHashMap<>();
        notification.alerts().forEach(a -> latest.put(a.fingerprint(), a));
        List<Alert> changed = latest.values().stream().filter(a -> before.get(a.fingerprint()) != a.status()).toList();
        if (changed.isEmpty()) return Outcome.UNCHANGED;

        Map<String, String> labels = notification.commonLabels().isEmpty()
                ? notification.alerts().getFirst().labels() : notification.commonLabels();
        Optional<AlertsConfig.Rule> rule = known.isPresent()
                ? Optional.ofNullable(known.get().ruleName()).flatMap(rules::rule)
                : rules.ruleFor(labels);
        String dedupeKey = known.map(AlertStore.Group::dedupeKey).orElseGet(() -> rule.map(r -> r.dedupeKey(labels)).orElse(null));
        Long incidentNumber = known.map(AlertStore.Group::incidentNumber).orElse(null);
        boolean anyFiring = changed.stream().anyMatch(a -> a.status() == Alert.Status.FIRING);
        boolean declare = false;
        if (known.isEmpty() && anyFiring && rule.isPresent() && rule.get().actionKind() == AlertsConfig.Action.DECLARE) {
            if (rule.get().dedupeWindow() != null) {
                incidentNumber = store.incidentFor(dedupeKey, now.minus(rule.get().dedupeWindow()))
                        .filter(n -> incidents.find(n).map(Incident::open).orElse(false)).orElse(null);
            }
            declare = incidentNumber == null;
        }
        Map<String, Alert.Status> after = new LinkedHashMap<>(before);
        changed.forEach(a -> after.put(a.fingerprint(), a.status()));
        AlertStore.Group group = new AlertStore.Group(notification.groupKey(), rule.map(AlertsConfig.Rule::name).orElse(null),
                dedupeKey, incidentNumber, known.map(AlertStore.Group::firstAt).orElse(now), after);
        store.save(group, changed, now);

        Optional<Incident> incident = Optional.ofNullable(incidentNumber).flatMap(incidents::find);
        if (declare) {
            incident = declare(rule.get(), notification, changed);
            if (incident.isPresent()) {
                group = new AlertStore.Group(group.groupKey(), group.ruleName(), group.dedupeKey(), incident.get().number(),
                        group.firstAt(), after);
                store.save(group, List.of(), now);
            }
        }
        boolean allResolved = after.values().stream().allMatch(s -> s == Alert.Status.RESOLVED);
        postInAlertsChannels(group.groupKey(), rule, changed, allResolved, incident, now);
        incident.ifPresent(i -> onIncident(i, changed, allResolved));
        return Outcome.RECORDED;
    }

    private Optional<Incident> declare(AlertsConfig.Rule rule, AlertmanagerNotification notification, List<Alert> changed) {
        Optional<Severity> severity = incidents.severity(rule.severity());
        Optional<ChatPlatforms.Connected> platform = platforms.all().stream().findFirst();
        if (severity.isEmpty() || platform.isEmpty()) return Optional.empty();
        Alert first = changed.stream().filter(a -> a.status() == Alert.Status.FIRING).findFirst().orElse(changed.getFirst());
        String title = first.summary();
        try {
            return Optional.of(incidents.declare(platform.get().platform().name(), IncidentService.BOT, severity.get(), title, false,
                    rule.runbook() == null ? List.of() : List.of(rule.runbook())));
        } catch (RuntimeException e) {
            log.warn("Declaring an incident for alert group {} failed: {}", notification.groupKey(), e.toString());
            return Optional.empty();
        }
    }

    private void onIncident(Incident incident, List<Alert> changed, boolean allResolved) {
        for (Alert alert : changed) {
            incidents.record(incident, new TimelineEntry(TimelineEvent.Type.ALERT, TimelineEvent.Source.ALERTS, IncidentService.BOT,
                    "Alert " + alert.name() + " " + status(alert) + ": " + alert.summary(),
                    Map.of("fingerprint", alert.fingerprint(), "status", status(alert))));
        }
        outbox.enqueue(incident.platform(), incident.channelId(), alertsMessage(changed, Optional.of(incident)));
        if (allResolved && incident.open()) {
            String commander = incidents.holder(incident.number(), "commander").orElse(incident.declaredBy());
            outbox.enqueue(incident.platform(), incident.channelId(), Message.builder()
                    .heading(Icon.OK, "Every alert of this group is resolved")
                    .paragraph(commander + ", is " + incident.id() + " over? If so, resolve it with "
                            + "/incident resolve <root cause>; Firebreak does not resolve incidents by itself.")
                    .build());
        }
    }

    /**
     * The group's one message in each alerts channel: posted when the group first arrives, edited
     * (never posted again) as its alerts change, each time showing every alert of the group.
     */
    private void postInAlertsChannels(String groupKey, Optional<AlertsConfig.Rule> rule, List<Alert> changed, boolean allResolved,
                                      Optional<Incident> incident, Instant now) {
        List<Alert> all = store.alerts(groupKey);
        Message.Builder message = Message.builder().append(alertsMessage(all, incident));
        if (allResolved) {
            message.paragraph(Icon.OK, "The whole group is resolved.");
        } else if (rule.isEmpty()) {
            message.note("No rule in bot/alerts.yaml matches this alert. If it needs a response, declare it: "
                    + "/incident declare <P0-P3> " + changed.getFirst().summary());
        }
        message.note("Last change " + CHANGED_AT.format(now) + ": " + changed.stream()
                .map(a -> a.name() + " " + status(a) + " (" + a.fingerprint() + ")").collect(Collectors.joining(", ")) + ".");
        Message built = message.build();
        for (ChatPlatforms.Connected connected : platforms.all()) {
            String platform = connected.platform().name();
            outbox.postOrEdit("alert-group/" + platform + "/" + groupKey, platform, connected.alerts().id(), built);
        }
    }

    private static Message alertsMessage(List<Alert> changed, Optional<Incident> incident) {
        Message.Builder message = Message.builder();
        for (Alert alert : changed) {
            boolean firing = alert.status() == Alert.Status.FIRING;
            message.heading(firing ? Icon.CRITICAL : Icon.OK, "Alert " + status(alert) + ": " + alert.name());
            message.paragraph(alert.summary());
            message.field("Labels", alert.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        incident.ifPresent(i -> message.field("Incident", i.id() + " #" + i.channelName()));
        return message.build();
    }

    private static String status(Alert alert) {
        return alert.status() == Alert.Status.FIRING ? "firing" : "resolved";
    }
}
