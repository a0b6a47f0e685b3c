package dev.firebreak.incident;

import java.time.Instant;

/**
 * An incident as stored. The channel is where it lives on the platform it was declared on.
 *
 * @param lastUpdateAt when the last status update was posted (declaration counts); cadence reminders run from it
 * @param lastReminderAt when the last overdue-update reminder was posted, or null
 */
public record Incident(long number, String severity, String title, IncidentStatus status, boolean security,
                       String platform, String channelId, String channelName, String declaredBy,
                       Instant declaredAt, Instant lastUpdateAt, Instant lastReminderAt,
                       Instant resolvedAt, String rootCause) {

    public String id() {
        return "INC-" + number;
    }

    public boolean open() {
        return status != IncidentStatus.RESOLVED;
    }
}
