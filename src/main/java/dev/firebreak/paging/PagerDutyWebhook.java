package dev.firebreak.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.kernel.Secret;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.kernel.WebhookResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code POST /paging/pagerduty}: PagerDuty's V3 webhooks. The body must carry a valid
 * {@code X-PagerDuty-Signature} ({@code v1=} HMAC-SHA256 of the raw body with
 * {@code PAGERDUTY_WEBHOOK_SECRET}, compared in constant time; several signatures, comma separated,
 * while the secret rotates). An {@code incident.acknowledged} event for an incident Firebreak paged
 * acknowledges that incident in Firebreak, so the two do not drift; other events are accepted and ignored.
 */
public final class PagerDutyWebhook implements Webhook {

    public static final String PATH = "/paging/pagerduty";
    private static final Logger log = LoggerFactory.getLogger(PagerDutyWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Acknowledges Firebreak's incident {@code incidentNumber} for {@code who}; returns what was done. */
    @FunctionalInterface
    public interface Acknowledgements {
        String acknowledge(long incidentNumber, String who);
    }

    private final Secret secret;
    private final PagerDutyQueue queue;
    private final Acknowledgements acknowledgements;

    public PagerDutyWebhook(Secret secret, PagerDutyQueue queue, Acknowledgements acknowledgements) {
        this.secret = secret;
        this.queue = queue;
        this.acknowledgements = acknowledgements;
    }

    @Override
    public WebhookResponse handle(WebhookRequest request) {
        if (!secret.isPresent()) {
            return WebhookResponse.text(404, "PagerDuty webhooks are off: set PAGERDUTY_WEBHOOK_SECRET to the subscription's secret");
        }
        if (!signed(request)) {
            log.warn("PagerDuty webhook refused: missing or wrong X-PagerDuty-Signature");
            return WebhookResponse.text(401, "missing or wrong X-PagerDuty-Signature");
        }
        JsonNode event;
        try {
            event = JSON.readTree(request.body()).path("event");
        } catch (java.io.IOException e) {
            return WebhookResponse.text(400, "the body is not JSON");
        }
        String type = event.path("event_type").asText("");
        if (!type.equals("incident.acknowledged")) return WebhookResponse.text(200, "ignored " + (type.isEmpty() ? "an event without event_type" : type));
        String dedupKey = event.path("data").path("incident_key").asText("");
        Optional<Long> incident = dedupKey.isEmpty() ? Optional.empty() : queue.incidentOf(dedupKey);
        if (incident.isEmpty()) return WebhookResponse.text(200, "not an incident Firebreak paged");
        String agent = event.path("agent").path("summary").asText("");
        String result = acknowledgements.acknowledge(incident.get(), agent.isBlank() ? "pagerduty" : agent);
        return WebhookResponse.text(200, result);
    }

    private boolean signed(WebhookRequest request) {
        Optional<String> header = request.header("X-PagerDuty-Signature");
        if (header.isEmpty()) return false;
        byte[] expected = hmac(request.body());
        boolean match = false;
        for (String part : header.get().split(",")) {
            String signature = part.strip();
            if (!signature.startsWith("v1=")) continue;
            byte[] given;
            try {
                given = HexFormat.of().parseHex(signature.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            match |= MessageDigest.isEqual(expected, given);
        }
        return match;
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
