package dev.firebreak.kernel;

/** What a {@link Webhook} answers. */
public record WebhookResponse(int status, String contentType, String body) {

    public static WebhookResponse text(int status, String body) {
        return new WebhookResponse(status, "text/plain; charset=utf-8", body);
    }
}
