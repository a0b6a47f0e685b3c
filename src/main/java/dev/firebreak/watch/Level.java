package dev.firebreak.watch;

import dev.firebreak.probe.ProbeResult;

import java.util.Locale;

/** How bad a watcher's reading is; an alert is raised at WARNING or CRITICAL. */
public enum Level {
    OK, WARNING, CRITICAL;

    static Level of(ProbeResult.Status status) {
        return switch (status) {
            case WARNING -> WARNING;
            case CRITICAL -> CRITICAL;
            case OK, ERROR -> OK;
        };
    }

    boolean worseThan(Level other) {
        return ordinal() > other.ordinal();
    }

    /** The {@code severity} label of an alert at this level. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
