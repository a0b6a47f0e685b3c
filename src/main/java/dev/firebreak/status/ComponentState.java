package dev.firebreak.status;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a component of the public status page is doing (seed 002: Operational, Degraded,
 * Partial Outage, Major Outage), in the order of how bad it is. The words are what people type;
 * {@link #statuspage()} is Atlassian Statuspage's name for the same state.
 */
public enum ComponentState {
    OPERATIONAL("operational", "Operational"),
    DEGRADED_PERFORMANCE("degraded-performance", "Degraded Performance"),
    PARTIAL_OUTAGE("partial-outage", "Partial Outage"),
    MAJOR_OUTAGE("major-outage", "Major Outage");

    private final String word;
    private final String label;

    ComponentState(String word, String label) {
        this.word = word;
        this.label = label;
    }

    /** What people type: {@code partial-outage}. */
    public String word() {
        return word;
    }

    /** What the page shows: {@code Partial Outage}. */
    public String label() {
        return label;
    }

    /** Statuspage's component status: {@code partial_outage}. */
    public String statuspage() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The words people may type, for refusals and help. */
    public static String words() {
        return Arrays.stream(values()).map(ComponentState::word).collect(Collectors.joining(", "));
    }

    /** A typed state: its word, with {@code _} for {@code -} and {@code degraded} for short, in any case. */
    public static Optional<ComponentState> parse(String text) {
        if (text == null) return Optional.empty();
        String word = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (word.equals("degraded")) return Optional.of(DEGRADED_PERFORMANCE);
        return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst();
    }

    public ComponentState worse(ComponentState other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
