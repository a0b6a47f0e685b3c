package dev.firebreak.oncall;

import dev.firebreak.chat.Outbox;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.paging.Pager;
import dev.firebreak.people.People;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who is called for an incident, and when: declaring notifies the on-call person of the
 * severity's rotation (a mention in the incident channel, a page where configured); until someone
 * acknowledges ({@code /incident ack}, or PagerDuty's webhook), each level's delay passing calls the
 * next level, up to the severity's {@code upTo}. The level reached is kept in the store and moved
 * with a compare-and-set, so each level is called exactly once, also across restarts.
 */
public final class Escalations {

    private final OncallConfig config;
    private final OnCallRoster roster;
    private final EscalationStore store;
    private final IncidentService incidents;
    private final People people;
    private final Outbox outbox;
    private final Pager pager;
    private final Clock clock;

    public Escalations(OncallConfig config, OnCallRoster roster, EscalationStore store, IncidentService incidents, People people,
                       Outbox outbox, Pager pager, Clock clock) {
        this.config = config;
        this.roster = roster;
        this.store = store;
        this.incidents = incidents;
        this.people = people;
        this.outbox = outbox;
        this.pager = pager;
        this.clock = clock;
    }

    /** Notifies the on-call person of the incident's severity; once per incident, whoever calls it how often. */
    public void declared(Incident incident) {
        OncallConfig.SeverityRoute route = config.severities().get(incident.severity());
        if (route == null || !config.rotations().containsKey(route.rotation())) return;
        Instant now = clock.instant();
        String person = roster.at(route.rotation(), now).person();
        if (!store.start(incident.number(), route.rotation(), List.of(person), now)) return;
        if (incident.security()) incidents.giveAccess(incident, person);
        Rotation rotation = config.rotations().get(route.rotation());
        boolean paged = route.page() && page(incident, routingKey(incident, route, Optional.empty()), "on call for " + route.rotation());
        Duration within = incidents.severityOf(incident).responseTime();
        String text = person + " is on call for " + route.rotation() + " (" + rotation.name() + ")" + (paged ? " and was paged" : "")
                + ". Acknowledge with /incident ack within " + Durations.format(within)
                + nextLevel(1, route).map(next -> "; otherwise Firebreak calls level 2 (" + next.name() + ")").orElse("") + ".";
        incidents.record(incident, TimelineEntry.of(TimelineEvent.Type.PAGED, IncidentService.BOT, text)
                .from(TimelineEvent.Source.CLOCK).with("level", "1").with("notified", person));
        outbox.enqueue(incident.platform(), incident.channelId(), Message.builder().paragraph(Icon.INCIDENT, text)
                .mentions(ids(incident, List.of(person))).build());
    }

    /** Calls the next level of every unacknowledged open incident whose level's delay has passed; driven by the clock. */
    public List<Incident> escalateDue() {
        Instant now = clock.instant();
        List<Incident> escalated = new ArrayList<>();
        for (EscalationStore.Escalation escalation : store.unacknowledged()) {
            Optional<Incident> found = incidents.find(escalation.incident()).filter(Incident::open);
            if (found.isEmpty()) continue;
            Incident incident = found.get();
            OncallConfig.SeverityRoute route = config.severities().get(incident.severity());
            if (route == null) continue;
            EscalationStore.Escalation current = escalation;
            // a long outage or restart may have passed several delays: each level is called, in order, once
            while (current.level() < Math.min(route.upTo(), config.escalation().size())) {
                Instant due = current.levelSince().plus(delayOf(current.level(), incident));
                if (now.isBefore(due)) break;
                Optional<EscalationStore.Escalation> next = call(incident, route, current, due);
                if (next.isEmpty()) break;
                current = next.get();
                escalated.add(incident);
            }
        }
        return escalated;
    }

    /** How long level {@code level} has to acknowledge: level 1 the severity's response time, later ones their own. */
    private Duration delayOf(int level, Incident incident) {
        return level == 1 ? incidents.severityOf(incident).responseTime() : config.escalation().get(level - 1).acknowledgeWithin();
    }

    private Optional<EscalationStore.Escalation> call(Incident incident, OncallConfig.SeverityRoute route,
                                                      EscalationStore.Escalation from, Instant due) {
        int level = from.level() + 1;
        OncallConfig.EscalationLevel target = config.escalation().get(level - 1);
        List<String> called = new ArrayList<>(target.people());
        if (target.rotation() != null) called.add(roster.at(target.rotation(), clock.instant()).person());
        LinkedHashSet<String> notified = new LinkedHashSet<>(from.notified());
        notified.addAll(called);
        if (!store.advance(incident.number(), from.level(), due, List.copyOf(notified))) return Optional.empty();
        if (incident.security()) called.forEach(person -> incidents.giveAccess(incident, person));
        boolean paged = target.page() && page(incident, routingKey(incident, route, Optional.ofNullable(target.rotation())), "escalated to " + target.name());
        Duration waited = Duration.between(incident.declaredAt(), clock.instant()).withNanos(0);
        StringBuilder text = new StringBuilder("Nobody acknowledged " + incident.id() + " in " + Durations.format(waited)
                + ": escalated to level " + level + " (" + target.name() + ")");
        if (!called.isEmpty()) text.append(", calling ").append(String.join(", ", new LinkedHashSet<>(called)));
        text.append(paged ? " and paging" : "").append(".");
        nextLevel(level, route).ifPresentOrElse(
                next -> text.append(" /incident ack within ").append(Durations.format(target.acknowledgeWithin()))
                        .append(", or level ").append(level + 1).append(" (").append(next.name()).append(") is called."),
                () -> text.append(" This is the last level for ").append(incident.severity()).append("."));
        incidents.record(incident, TimelineEntry.of(TimelineEvent.Type.ESCALATED, IncidentService.BOT, text.toString())
                .from(TimelineEvent.Source.CLOCK).with("level", String.valueOf(level)).with("notified", String.join(" ", called)));
        Message.Builder message = Message.builder().paragraph(Icon.WARNING, text.toString()).mentions(ids(incident, called));
        if (!target.contacts().isEmpty()) {
            message.table(List.of("contact", "how"), target.contacts().entrySet().stream()
                    .map(e -> List.of(e.getKey(), e.getValue())).toList());
        }
        outbox.enqueue(incident.platform(), incident.channelId(), message.build());
        return store.find(incident.number());
    }

    private Optional<OncallConfig.EscalationLevel> nextLevel(int level, OncallConfig.SeverityRoute route) {
        return level < Math.min(route.upTo(), config.escalation().size()) ? Optional.of(config.escalation().get(level)) : Optional.empty();
    }

    /**
     * Acknowledges the incident for {@code person}: its commander, or someone it called. Stops the
     * escalation and acknowledges the page. Refuses anyone else, and says so when it was acknowledged already.
     */
    public String acknowledge(Incident incident, String person, TimelineEvent.Source source) {
        EscalationStore.Escalation escalation = store.find(incident.number()).orElseThrow(() -> new InvalidInput(incident.id()
                + " called nobody (" + incident.severity() + " notifies no rotation in bot/oncall.yaml), so there is nothing to acknowledge."));
        if (escalation.acknowledged()) {
            return incident.id() + " was already acknowledged by " + escalation.acknowledgedBy() + ".";
        }
        boolean commander = incidents.holder(incident.number(), "commander").filter(person::equals).isPresent();
        boolean onCall = escalation.notified().contains(person)
                || roster.at(escalation.rotation(), clock.instant()).person().equals(person);
        if (source == TimelineEvent.Source.PERSON && !commander && !onCall) {
            throw new InvalidInput("Only the commander of " + incident.id() + " or someone it called ("
                    + String.join(", ", escalation.notified()) + ") may acknowledge it.");
        }
        Instant now = clock.instant();
        if (!store.acknowledge(incident.number(), person, now)) {
            return incident.id() + " was already acknowledged.";
        }
        String text = incident.id() + " acknowledged by " + person + (source == TimelineEvent.Source.WEBHOOK ? " in PagerDuty" : "")
                + " after " + Durations.format(Duration.between(incident.declaredAt(), now).withNanos(0)) + " (level "
                + escalation.level() + "); escalation stopped.";
        incidents.record(incident, TimelineEntry.of(TimelineEvent.Type.ACKNOWLEDGED, person, text).from(source)
                .with("level", String.valueOf(escalation.level())));
        outbox.enqueue(incident.platform(), incident.channelId(), Message.text(Icon.OK, text));
        if (source != TimelineEvent.Source.WEBHOOK) pager.acknowledge(incident);
        return text;
    }

    /** Resolves the incident's page; called when the incident is resolved. */
    public List<String> resolved(Incident incident, String actor) {
        if (store.find(incident.number()).isPresent()) pager.resolve(incident);
        return List.of();
    }

    private boolean page(Incident incident, Optional<String> routingKey, String why) {
        if (routingKey.isEmpty()) return false;
        pager.trigger(incident, routingKey.get(), summary(incident) + " (" + why + ")");
        return true;
    }

    /** What PagerDuty shows: a security incident's title is not disclosed outside its channel. */
    static String summary(Incident incident) {
        return incident.id() + " [" + incident.severity() + "] " + (incident.security() ? IncidentService.SECURITY_INCIDENT : incident.title());
    }

    /**
     * The name of the routing key that pages a level: for level 1 the severity's own key, else its
     * rotation's; for a later level its rotation's, else the severity's; else the default. Empty: none is configured.
     */
    private Optional<String> routingKey(Incident incident, OncallConfig.SeverityRoute route, Optional<String> levelRotation) {
        Map<String, ?> keys = config.routingKeys();
        String severity = "severity:" + incident.severity();
        String rotation = "rotation:" + levelRotation.orElse(route.rotation());
        List<String> order = levelRotation.isEmpty() ? List.of(severity, rotation) : List.of(rotation, severity);
        return java.util.stream.Stream.concat(order.stream(), java.util.stream.Stream.of(OncallConfig.DEFAULT_ROUTING_KEY))
                .filter(keys::containsKey).findFirst();
    }

    private List<String> ids(Incident incident, List<String> persons) {
        return new LinkedHashSet<>(persons).stream().flatMap(p -> people.platformId(p, incident.platform()).stream()).toList();
    }

    /** The on-call view of open incidents, for the handoff: who was called and whether it was acknowledged. */
    public Optional<EscalationStore.Escalation> of(Incident incident) {
        return store.find(incident.number());
    }
}
