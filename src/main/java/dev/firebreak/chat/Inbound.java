package dev.firebreak.chat;

/**
 * Everything a chat platform tells the engine, in neutral form. User ids are the platform's
 * immutable ids (Slack U..., Discord snowflakes, console names), never display names.
 */
public sealed interface Inbound permits Inbound.Command, Inbound.Reaction, Inbound.ChannelMessage {

    String platform();

    String userId();

    String channelId();

    /** A slash command such as {@code /incident declare P1 RPC latency high}. */
    record Command(String platform, String userId, String channelId, String text) implements Inbound {}

    /**
     * An emoji reaction added to or removed from a message, which is named by its channel and its
     * id (a Slack ts is unique only within its channel). {@code channelId} is null only where the
     * platform's message ids are unique on their own and the adapter does not know the channel
     * (a console message posted before a restart).
     */
    record Reaction(String platform, String userId, String channelId, String messageId,
                    String emoji, boolean added) implements Inbound {}

    /** A plain message seen in a channel the bot listens to. */
    record ChannelMessage(String platform, String userId, String channelId, String messageId,
                          String text) implements Inbound {}
}
