package dev.firebreak.chat;

/**
 * The inbound deliveries a platform adapter has handled, kept durably for longer than a replay
 * could be accepted (Slack signs requests for five minutes), so that a retried or replayed request
 * has one effect, also across a restart.
 */
@FunctionalInterface
public interface DeliveryLog {

    /** Records {@code key} (an event id, a trigger id) for {@code platform}; true the first time it is seen. */
    boolean firstDelivery(String platform, String key);
}
