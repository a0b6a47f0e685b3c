package dev.firebreak.paging;

import dev.firebreak.incident.Incident;

/**
 * Pages people outside chat: the port on-call escalation calls when an incident is declared or
 * escalated to a level that pages, acknowledged and resolved. Every event of one incident carries
 * the same deduplication key, so the pager keeps one alert per incident and service.
 */
public interface Pager {

    /**
     * Opens (or, with the same key, adds to) the incident's alert on the service that the routing
     * key named {@code routingKey} pages (see {@code OncallConfig.routingKeys()}).
     */
    void trigger(Incident incident, String routingKey, String summary);

    /** Acknowledges the incident's alert on every service it was triggered on. */
    void acknowledge(Incident incident);

    /** Resolves the incident's alert on every service it was triggered on. */
    void resolve(Incident incident);

    /** Pages nobody. */
    Pager NONE = new Pager() {
        @Override
        public void trigger(Incident incident, String routingKey, String summary) {}

        @Override
        public void acknowledge(Incident incident) {}

        @Override
        public void resolve(Incident incident) {}
    };
}
