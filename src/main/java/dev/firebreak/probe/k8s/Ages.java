package dev.firebreak.probe.k8s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Ages the way kubectl prints them: 45s, 12m, 3h20m, 4d. */
final class Ages {

    private Ages() {}

    static String since(String timestamp, Clock clock) {
        Instant then = parse(timestamp);
        return then == null ? "?" : format(Duration.between(then, clock.instant()));
    }

    static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) return null;
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String format(Duration age) {
        long seconds = Math.max(0, age.getSeconds());
        if (seconds < 120) return seconds + "s";
        long minutes = seconds / 60;
        if (minutes < 60) return minutes + "m";
        long hours = minutes / 60;
        if (hours < 24) return hours + "h" + (minutes % 60 == 0 ? "" : (minutes % 60) + "m");
        return (hours / 24) + "d" + (hours % 24 == 0 ? "" : (hours % 24) + "h");
    }
}
