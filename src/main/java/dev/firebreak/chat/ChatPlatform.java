package dev.firebreak.chat;

import dev.firebreak.kernel.Message;

import java.util.List;

/**
 * What the engine needs from a chat platform. Each adapter (console, Slack, Discord)
 * implements it with its own SDK; nothing outside the adapter sees SDK types.
 */
public interface ChatPlatform {

    /** "console", "slack" or "discord": the key people's ids are configured under. */
    String name();

    /** Finds an existing channel by name; fails with {@link ChatException} if it does not exist. */
    Channel channelNamed(String name);

    /** Creates a channel (private where the platform has them and {@code restricted} is true) and invites the members. */
    Channel createChannel(String name, boolean restricted, List<String> memberUserIds);

    /**
     * Gives people access to a channel created restricted (a security incident's): Slack
     * conversations.invite, a Discord permission overwrite, a line on the console. People already
     * in it are no error.
     */
    void invite(String channelId, List<String> userIds);

    /** Posts a message and returns its platform id (Slack ts, Discord snowflake, console ref). */
    String post(String channelId, Message message);

    /** Shows a message only to one person (Slack ephemeral, Discord ephemeral follow-up, console note). */
    void postPrivately(String channelId, String userId, Message message);

    void setTopic(String channelId, String topic);

    void pin(String channelId, String messageId);

    /** Adds the bot's own reaction, e.g. the approve and reject emoji on an approval request. */
    void react(String channelId, String messageId, String emoji);

    /** The reactions currently on a message, read back after a reconnect. */
    List<ReactionSnapshot> reactions(String channelId, String messageId);

    record Channel(String id, String name) {}

    record ReactionSnapshot(String emoji, List<String> userIds) {}
}
