package dev.firebreak.incident;

import dev.firebreak.audit.AuditLog;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one writer of incident timelines: every event goes on its incident's timeline and into
 * the audit log together, so the two cannot disagree about what happened.
 */
public final class IncidentTimeline {

    private final IncidentRepository incidents;
    private final AuditLog audit;
    private final Clock clock;

    public IncidentTimeline(IncidentRepository incidents, AuditLog audit, Clock clock) {
        this.incidents = incidents;
        this.audit = audit;
        this.clock = clock;
    }

    /** Records an event of an incident. */
    public void record(Incident incident, TimelineEntry entry) {
        record(Optional.of(incident), incident.id(), entry);
    }

    /**
     * Records an event about {@code subject} (an approval request, a run): on the timeline of
     * its incident when it has one, and in the audit log always.
     */
    public void record(Optional<Incident> incident, String subject, TimelineEntry entry) {
        incident.ifPresent(i -> incidents.append(new TimelineEvent(i.number(), clock.instant(), entry.actor(), entry.type(),
                entry.source(), entry.text(), entry.details())));
        audit.record(entry.actor(), entry.type().auditEvent(), subject,
                entry.text() + (entry.details().isEmpty() ? "" : " " + new TreeMap<>(entry.details())));
    }

    public List<TimelineEvent> of(Incident incident) {
        return incidents.timeline(incident.number());
    }
}
