package dev.firebreak.kernel;

/** Answers one GET route on the operations server, e.g. the public {@code /status} page. */
@FunctionalInterface
public interface WebPage {

    WebhookResponse get();
}
