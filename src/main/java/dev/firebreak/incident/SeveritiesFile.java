package dev.firebreak.incident;

import java.util.List;

/** {@code bot/severities.yaml}. */
public record SeveritiesFile(List<Severity> severities) {}
