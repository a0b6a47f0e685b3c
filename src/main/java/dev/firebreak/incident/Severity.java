package dev.firebreak.incident;

import java.time.Duration;
import java.util.List;

/**
 * A severity level, as data ({@code bot/severities.yaml}), so teams can rename or add levels.
 *
 * @param updateEvery how often a status update is due while the incident is open; reminders follow it
 */
public record Severity(String id, String name, String description, Duration responseTime,
                       Duration updateEvery, String escalation, List<String> examples) {

    public Severity {
        examples = examples == null ? List.of() : List.copyOf(examples);
    }
}
