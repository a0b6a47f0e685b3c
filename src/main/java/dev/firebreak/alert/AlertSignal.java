package dev.firebreak.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An alert Firebreak raises or resolves itself (a watcher, a scheduled check, a message rule), for
 * {@link AlertIntake#raise} and {@link AlertIntake#resolve}: it takes the same path as an
 * Alertmanager alert. Each signal is one alert group of one alert, named by its source and key.
 *
 * @param source   what raised it, e.g. {@code watcher}, {@code schedule} or {@code message}; with the
 *                 key, it names the group
 * @param key      which group it is within its source, stable across repeats (a repeat while firing
 *                 changes nothing); a source that wants a new group (a watcher's new episode, a level
 *                 that got worse) gives a new key. At most 400 characters
 * @param labels   the labels the rules of {@code bot/alerts.yaml} match, {@code alertname} among them
 *                 (the key when absent)
 * @param severity the {@code severity} label, e.g. {@code critical} or {@code warning}
 * @param summary  the line people read first
 */
public record AlertSignal(String source, String key, Map<String, String> labels, String severity, String summary) {

    /** The most characters a key may have: with its source it is a group key, of at most 512. */
    public static final int MAX_KEY = 400;

    public AlertSignal {
        if (source == null || source.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("an alert signal needs a source and a key");
        }
        if (key.length() > MAX_KEY) throw new IllegalArgumentException("an alert's key is at most " + MAX_KEY + " characters: " + key);
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.putIfAbsent("alertname", key);
        if (severity != null && !severity.isBlank()) all.put("severity", severity);
        all.put("source", source);
        labels = Map.copyOf(all);
        summary = summary == null || summary.isBlank() ? all.get("alertname") : summary;
    }

    /** The alert group it is: one per source and key. */
    public String groupKey() {
        return source + ":" + key;
    }

    /** Its alert's fingerprint, as Alertmanager gives one per alert: 32 hex digits, the same for every repeat. */
    String fingerprint() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(groupKey().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
