package dev.firebreak.alert;

import java.time.Instant;
import java.util.Map;

/** One alert of a group, tracked by its fingerprint. */
public record Alert(String fingerprint, Status status, Map<String, String> labels, Map<String, String> annotations,
                    Instant startsAt) {

    public Alert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    public enum Status { FIRING, RESOLVED }

    public String name() {
        return labels.getOrDefault("alertname", fingerprint);
    }

    /** The annotation people read first: {@code summary}, else {@code description}, else the alert's name. */
    public String summary() {
        return annotations.getOrDefault("summary", annotations.getOrDefault("description", name()));
    }
}
