package dev.firebreak.alert;

import dev.firebreak.kernel.InvalidInput;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One Alertmanager webhook notification (payload version 4), checked field by field. */
public record AlertmanagerNotification(String groupKey, String status, Map<String, String> groupLabels,
                                       Map<String, String> commonLabels, List<Alert> alerts) {

    /** The body size Alertmanager bodies are held to. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    static final int MAX_ALERTS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(20).build());
    }

    public AlertmanagerNotification {
        groupLabels = Map.copyOf(groupLabels);
        commonLabels = Map.copyOf(commonLabels);
        alerts = List.copyOf(alerts);
    }

    /** Parses a body; {@link InvalidInput} says what is wrong with it. */
    public static AlertmanagerNotification parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new InvalidInput("the body is " + body.length + " bytes, over the limit of " + MAX_BODY_BYTES
                    + "; lower max_alerts in the Alertmanager receiver");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidInput("the body is not JSON (" + e.getOriginalMessage() + "); send Alertmanager's webhook payload");
        } catch (java.io.IOException e) {
            throw new InvalidInput("the body could not be read; send Alertmanager's webhook payload");
        }
        if (root == null || !root.isObject()) throw new InvalidInput("the body is not a JSON object; send Alertmanager's webhook payload");
        String version = text(root, "version");
        if (!"4".equals(version)) {
            throw new InvalidInput("version is '" + version + "', not \"4\"; only Alertmanager's webhook payload version 4 is understood");
        }
        String groupKey = text(root, "groupKey");
        if (groupKey.isBlank() || groupKey.length() > 500) throw new InvalidInput("groupKey must be 1 to 500 characters");
        String status = text(root, "status");
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw new InvalidInput("status is '" + status + "'; it must be firing or resolved");
        }
        JsonNode alertNodes = root.get("alerts");
        if (alertNodes == null || !alertNodes.isArray() || alertNodes.isEmpty()) {
            throw new InvalidInput("alerts is missing or empty; a notification carries at least one alert");
        }
        if (alertNodes.size() > MAX_ALERTS) {
            throw new InvalidInput("alerts has " + alertNodes.size() + " entries, over the limit of " + MAX_ALERTS);
        }
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < alertNodes.size(); i++) alerts.add(alert(alertNodes.get(i), "alerts[" + i + "]"));
        return new AlertmanagerNotification(groupKey, status, labels(root.get("groupLabels"), "groupLabels", false),
                labels(root.get("commonLabels"), "commonLabels", false), alerts);
    }

    private static Alert alert(JsonNode node, String at) {
        if (node == null || !node.isObject()) throw new InvalidInput(at + " is not an object");
        String fingerprint = text(node, "fingerprint", at);
        if (!fingerprint.matches("[0-9a-zA-Z]{1,64}")) throw new InvalidInput(at + ".fingerprint must be 1 to 64 letters or digits");
        String status = text(node, "status", at);
        Alert.Status parsed = switch (status) {
            case "firing" -> Alert.Status.FIRING;
            case "resolved" -> Alert.Status.RESOLVED;
            default -> throw new InvalidInput(at + ".status is '" + status + "'; it must be firing or resolved");
        };
        Instant startsAt;
        try {
            startsAt = Instant.parse(text(node, "startsAt", at));
        } catch (DateTimeParseException e) {
            throw new InvalidInput(at + ".startsAt is not an RFC 3339 time");
        }
        return new Alert(fingerprint, parsed, labels(node.get("labels"), at + ".labels", true),
                labels(node.get("annotations"), at + ".annotations", false), startsAt);
    }

    private static Map<String, String> labels(JsonNode node, String at, boolean required) {
        if (node == null || node.isNull()) {
            if (required) throw new InvalidInput(at + " is missing");
            return Map.of();
        }
        if (!node.isObject()) throw new InvalidInput(at + " is not an object of strings");
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) throw new InvalidInput(at + "." + e.getKey() + " is not a string");
            if (e.getKey().length() > 200 || e.getValue().asText().length() > 4000) {
                throw new InvalidInput(at + "." + e.getKey() + " is too long (names up to 200, values up to 4000 characters)");
            }
            values.put(e.getKey(), e.getValue().asText());
        });
        if (required && !values.containsKey("alertname")) throw new InvalidInput(at + ".alertname is missing");
        return values;
    }

    private static String text(JsonNode node, String field) {
        return text(node, field, null);
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        String name = at == null ? field : at + "." + field;
        if (value == null || value.isNull()) throw new InvalidInput(name + " is missing");
        if (!value.isTextual()) throw new InvalidInput(name + " is not a string");
        return value.asText();
    }
}
