package dev.firebreak.probe.k8s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Ages the way kubectl prints them (its HumanDuration): 45s, 3m20s, 95m, 3h20m, 21h, 4d5h, 41d. */
final class Ages {

    private Ages() {}

    /** The age of a timestamp, {@code <unknown>} when there is none, as kubectl shows it. */
    static String since(String timestamp, Clock clock) {
        Instant then = parse(timestamp);
        return then == null ? "<unknown>" : format(Duration.between(then, clock.instant()));
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
        long seconds = age.getSeconds();
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 120) return seconds + "s";
        long minutes = seconds / 60;
        if (minutes < 10) return minutes + "m" + (seconds % 60 == 0 ? "" : (seconds % 60) + "s");
        if (minutes < 180) return minutes + "m";
        long hours = minutes / 60;
        if (hours < 8) return hours + "h" + (minutes % 60 == 0 ? "" : (minutes % 60) + "m");
        if (hours < 48) return hours + "h";
        if (hours < 24 * 8) return (hours / 24) + "d" + (hours % 24 == 0 ? "" : (hours % 24) + "h");
        if (hours < 24 * 365 * 2) return (hours / 24) + "d";
        if (hours < 24 * 365 * 8) {
            long days = (hours / 24) % 365;
            return (hours / 24 / 365) + "y" + (days == 0 ? "" : days + "d");
        }
        return (hours / 24 / 365) + "y";
    }
}
