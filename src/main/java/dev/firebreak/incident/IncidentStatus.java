package dev.firebreak.incident;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The life of an incident: investigating, identified, monitoring, resolved. */
public enum IncidentStatus {
    INVESTIGATING, IDENTIFIED, MONITORING, RESOLVED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<IncidentStatus> parse(String text) {
        return Arrays.stream(values()).filter(s -> s.label().equalsIgnoreCase(text)).findFirst();
    }
}
