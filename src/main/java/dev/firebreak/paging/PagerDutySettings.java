package dev.firebreak.paging;

import dev.firebreak.kernel.Secret;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pagerduty:} section of {@code bot/oncall.yaml}: the default routing key
 * ({@code PAGERDUTY_ROUTING_KEY}), the Events API v2 URL ({@code PAGERDUTY_EVENTS_URL}), the secret
 * that signs PagerDuty's webhooks ({@code PAGERDUTY_WEBHOOK_SECRET}) and the events' source.
 */
public record PagerDutySettings(Secret routingKey, String eventsUrl, Secret webhookSecret, String source) {

    public static final String ENQUEUE_URL = "https://events.pagerduty.com/v2/enqueue";

    public PagerDutySettings {
        routingKey = routingKey == null ? new Secret("unset", "") : routingKey;
        eventsUrl = eventsUrl == null || eventsUrl.isBlank() ? ENQUEUE_URL : eventsUrl.strip();
        webhookSecret = webhookSecret == null ? new Secret("unset", "") : webhookSecret;
        source = source == null || source.isBlank() ? "firebreak" : source.strip();
    }

    public static PagerDutySettings none() {
        return new PagerDutySettings(null, null, null, null);
    }

    /** Problems phrased {@code "path: what; fix"}. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        try {
            URI uri = URI.create(eventsUrl);
            if (uri.getScheme() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http")) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            problems.add("pagerduty.eventsUrl: '" + eventsUrl + "' is not an http(s) URL; set PAGERDUTY_EVENTS_URL to e.g. " + ENQUEUE_URL
                    + " or leave it unset");
        }
        problems.addAll(routingKeyProblems("pagerduty.routingKey", routingKey));
        return problems;
    }

    /** A routing key is PagerDuty's 32-character integration key. */
    public static List<String> routingKeyProblems(String path, Secret key) {
        if (key == null || !key.isPresent()) return List.of();
        if (!key.reveal().matches("[A-Za-z0-9]{32}")) {
            return List.of(path + ": the routing key from " + key.source() + " is not 32 letters and digits; copy the integration key "
                    + "of the PagerDuty service's Events API v2 integration");
        }
        return List.of();
    }
}
