package dev.firebreak.incident;

import dev.firebreak.audit.AuditEntry;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.kernel.Page;
import dev.firebreak.kernel.Redactor;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one writer of incident timelines: every event goes on its incident's timeline and into
 * the audit log together, so the two cannot disagree about what happened. Secrets are masked
 * before either is written.
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
        String text = Redactor.redact(entry.text());
        Map<String, String> details = new TreeMap<>();
        entry.details().forEach((key, value) -> details.put(key, Redactor.redact(value)));
        incident.ifPresent(i -> incidents.append(new TimelineEvent(i.number(), clock.instant(), entry.actor(), entry.type(),
                entry.source(), text, details)));
        audit.record(entry.actor(), entry.type().auditEvent(), subject, text + (details.isEmpty() ? "" : " " + details));
    }

    /** The newest audit entry: the head of the hash chain. */
    public Optional<AuditEntry> auditHead() {
        return audit.head();
    }

    public List<TimelineEvent> of(Incident incident) {
        return incidents.timeline(incident.number());
    }

    /**
     * Page {@code requested} of the timeline, {@code size} events a page, read from the store as
     * one page: a timeline of thousands of events costs what one page does. {@code command} shows
     * a page when its number is added to it; a page past the end is bad input ({@link Page#of}).
     */
    public Paged<TimelineEvent> page(Incident incident, int requested, int size, String command) {
        Page page = Page.of(requested, size, incidents.timelineLength(incident.number()), "events", command);
        return new Paged<>(page, incidents.timeline(incident.number(), page.offset(), page.size()));
    }
}
