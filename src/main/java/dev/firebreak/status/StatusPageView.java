package dev.firebreak.status;

import java.util.List;

/**
 * What the public status page shows, and nothing else: the components and their states, the
 * incidents still active on the page with their published updates, and the last 7 days of
 * resolved ones. {@code GET /status} renders it as HTML, {@code GET /status.json} as JSON.
 * Times are ISO-8601 UTC, and for people as {@code 2026-11-23 03:00 UTC} ({@code ...Utc}).
 */
public record StatusPageView(String title, String generatedAt, Component overall, List<Component> components,
                             List<PublicIncident> active, List<PublicIncident> history) {

    /** A component, or the page's overall state (the worst of them). */
    public record Component(String id, String name, String description, String state, String label) {}

    /** An incident as published: its public title and updates, newest first. */
    public record PublicIncident(String id, String title, String status, String startedAt, String startedUtc, String lastUpdateAt,
                                 List<String> components, List<Update> updates) {}

    public record Update(String at, String atUtc, String status, String component, String state, String body) {}
}
