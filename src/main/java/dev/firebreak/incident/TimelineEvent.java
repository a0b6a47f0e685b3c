package dev.firebreak.incident;

import java.time.Instant;

/**
 * One entry of an incident's append-only timeline.
 *
 * @param kind  what happened: declared, command, update, status, severity, role, diagnostic,
 *              approval, action, runbook, note, reminder, resolved
 * @param actor the person's key, or {@code firebreak} for the bot itself
 */
public record TimelineEvent(long incidentNumber, Instant at, String actor, String kind, String text) {}
