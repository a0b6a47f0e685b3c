package dev.firebreak.kernel;

/** Handles one webhook request on the operations server, e.g. Slack's {@code /slack/events}. */
@FunctionalInterface
public interface Webhook {

    WebhookResponse handle(WebhookRequest request);
}
