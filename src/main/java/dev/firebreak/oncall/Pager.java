package dev.firebreak.oncall;

import dev.firebreak.incident.Incident;
import dev.firebreak.kernel.Secret;

/**
 * Pages people outside chat (PagerDuty): the port {@link Escalations} calls when an incident is
 * declared or escalated to a level that pages, acknowledged and resolved. Every event of one
 * incident carries the same deduplication key, so the pager keeps one alert per incident.
 */
public interface Pager {

    /** Opens (or, with the same key, adds to) the incident's alert on the service of {@code routingKey}. */
    void trigger(Incident incident, Secret routingKey, String summary);

    /** Acknowledges the incident's alert wherever it was triggered. */
    void acknowledge(Incident incident);

    /** Resolves the incident's alert wherever it was triggered. */
    void resolve(Incident incident);

    /** Pages nobody: PagerDuty is not configured. */
    Pager NONE = new Pager() {
        @Override
        public void trigger(Incident incident, Secret routingKey, String summary) {}

        @Override
        public void acknowledge(Incident incident) {}

        @Override
        public void resolve(Incident incident) {}
    };
}
