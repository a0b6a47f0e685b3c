package dev.firebreak.status;

import dev.firebreak.incident.IncidentStatus;

import java.time.Instant;

/**
 * One update published to the public status page: only what someone chose to publish, plus who
 * did (kept for the record, never shown on the page).
 *
 * @param publicTitle the incident's name on the page, fixed by its first update (never its private title)
 * @param phase       the incident's status when it was published; {@code RESOLVED} ends it on the page
 */
public record StatusUpdate(long id, long incidentNumber, String publicTitle, String component, ComponentState state,
                           IncidentStatus phase, String body, String publishedBy, Instant publishedAt) {}
