package dev.firebreak.incident;

import java.time.Instant;

/** Who holds an incident role (commander, communications, scribe), from when until when. */
public record RoleAssignment(long incidentNumber, String role, String person, Instant assumedAt, Instant renouncedAt) {}
