package dev.firebreak.web;

import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the process can do its work, check by check, e.g. {@code store -> true, slack -> false}.
 * {@code /ready} answers 200 only when every check passes.
 */
public record Readiness(Map<String, Boolean> checks) {

    public Readiness {
        checks = java.util.Collections.unmodifiableMap(new TreeMap<>(checks));
    }

    public boolean ready() {
        return checks.values().stream().allMatch(Boolean::booleanValue);
    }
}
