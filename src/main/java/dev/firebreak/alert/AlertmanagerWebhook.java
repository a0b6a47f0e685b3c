package dev.firebreak.alert;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Secret;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.kernel.WebhookResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code POST /alerts/alertmanager}: with {@code FIREBREAK_ALERT_TOKEN} set, a matching
 * {@code Authorization: Bearer} header is required (401 otherwise, compared in constant time). A
 * bad body is a 4xx with the reason and changes nothing (Alertmanager does not retry it); a store
 * failure is a 503, so Alertmanager retries, and the retry is idempotent.
 */
public final class AlertmanagerWebhook implements Webhook {

    public static final String PATH = "/alerts/alertmanager";
    private static final Logger log = LoggerFactory.getLogger(AlertmanagerWebhook.class);

    private final AlertIntake intake;
    private final Optional<Secret> token;

    public AlertmanagerWebhook(AlertIntake intake, Optional<Secret> token) {
        this.intake = intake;
        this.token = token.filter(Secret::isPresent);
    }

    @Override
    public WebhookResponse handle(WebhookRequest request) {
        if (token.isPresent() && !authorised(request)) {
            return WebhookResponse.text(401, "missing or wrong bearer token; set the receiver's http_config.authorization"
                    + ".credentials to FIREBREAK_ALERT_TOKEN");
        }
        byte[] body = request.body();
        if (body.length > AlertmanagerNotification.MAX_BODY_BYTES) {
            return WebhookResponse.text(413, "the body is over " + AlertmanagerNotification.MAX_BODY_BYTES
                    + " bytes; lower max_alerts in the Alertmanager receiver");
        }
        AlertmanagerNotification notification;
        try {
            notification = AlertmanagerNotification.parse(body);
        } catch (InvalidInput e) {
            return WebhookResponse.text(400, e.getMessage());
        }
        try {
            AlertIntake.Outcome outcome = intake.receive(notification);
            return WebhookResponse.text(200, outcome == AlertIntake.Outcome.UNCHANGED ? "unchanged" : "recorded");
        } catch (RuntimeException e) {
            log.warn("Alert group {} could not be recorded: {}", notification.groupKey(), e.getClass().getSimpleName());
            return WebhookResponse.text(503, "the alerts could not be recorded; retry later");
        }
    }

    private boolean authorised(WebhookRequest request) {
        String expected = "Bearer " + token.get().reveal();
        String given = request.header("Authorization").orElse("");
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    /** Hashing first makes the comparison take the same time whatever the lengths. */
    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
