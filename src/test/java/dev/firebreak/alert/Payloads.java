package dev.firebreak.alert;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Alertmanager webhook bodies (version 4) shaped as a real Alertmanager 0.25 sends them. */
final class Payloads {

    private Payloads() {}

    static String notification(String groupKey, String status, String... alerts) {
        return "{\"receiver\":\"firebreak\",\"status\":\"" + status + "\",\"alerts\":["
                + Arrays.stream(alerts).collect(Collectors.joining(","))
                + "],\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{},"
                + "\"externalURL\":\"http://alertmanager:9093\",\"version\":\"4\",\"groupKey\":\"" + groupKey.replace("\"", "\\\"")
                + "\",\"truncatedAlerts\":0}";
    }

    static String alert(String fingerprint, String status, String name, String severity, String summary) {
        return "{\"status\":\"" + status + "\",\"labels\":{\"alertname\":\"" + name + "\",\"severity\":\"" + severity + "\"},"
                + "\"annotations\":{\"summary\":\"" + summary + "\"},\"startsAt\":\"2026-11-23T02:59:30Z\","
                + "\"endsAt\":\"" + ("resolved".equals(status) ? "2026-11-23T03:10:00Z" : "0001-01-01T00:00:00Z") + "\","
                + "\"generatorURL\":\"http://prometheus:9090/graph\",\"fingerprint\":\"" + fingerprint + "\"}";
    }
}
