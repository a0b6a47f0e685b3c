package dev.firebreak.alert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An alert Firebreak raises or resolves itself (a watcher, a message rule), for
 * {@link AlertIntake#raise} and {@link AlertIntake#resolve}: it takes the same path as an
 * Alertmanager alert, one alert group per source and key.
 *
 * @param source   what raised it, e.g. {@code watcher} or {@code message}; with the key, it names the group
 * @param key      what the alert is about, stable across repeats (a repeat while firing changes nothing);
 *                 at most 64 characters
 * @param labels   the labels the rules of {@code bot/alerts.yaml} match, {@code alertname} among them
 *                 (the key when absent)
 * @param severity the {@code severity} label, e.g. {@code critical} or {@code warning}
 * @param summary  the line people read first
 */
public record AlertSignal(String source, String key, Map<String, String> labels, String severity, String summary) {

    public AlertSignal {
        if (source == null || source.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("an alert signal needs a source and a key");
        }
        if (key.length() > 64) throw new IllegalArgumentException("an alert's key is at most 64 characters: " + key);
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.putIfAbsent("alertname", key);
        if (severity != null && !severity.isBlank()) all.put("severity", severity);
        all.put("source", source);
        labels = Map.copyOf(all);
        summary = summary == null || summary.isBlank() ? all.get("alertname") : summary;
    }

    /** The alert group it is: one per source and key. */
    String groupKey() {
        return source + ":" + key;
    }
}
