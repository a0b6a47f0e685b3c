package dev.firebreak.chat;

import dev.firebreak.kernel.Message;

import java.util.List;
import java.util.Optional;

/**
 * What the engine needs from a chat platform. Each adapter (console, Slack, Discord)
 * implements it with its own SDK; nothing outside the adapter sees SDK types.
 */
public interface ChatPlatform {

    /** "console", "slack" or "discord": the key people's ids are configured under. */
    String name();

    /** Finds an existing channel by name; fails with {@link ChatException} if it does not exist. */
    Channel channelNamed(String name);

    /**
     * Creates a channel, private where the platform has them and {@code restricted} is true (only
     * the bot in it then); people are let in with {@link #invite}, after the first post if need be.
     */
    Channel createChannel(String name, boolean restricted);

    /**
     * Gives people access to a channel created restricted (a security incident's): Slack
     * conversations.invite, a Discord permission overwrite, a line on the console. People already
     * in it are no error.
     */
    void invite(String channelId, List<String> userIds);

    /** Posts a message and returns its platform id (Slack ts, Discord snowflake, console ref). */
    String post(String channelId, Message message);

    /**
     * Whether the outbox may deliver to several channels at once. A platform that shows every
     * channel in one place (the console) says no, and gets everything in the order it was queued.
     */
    default boolean postsInParallel() {
        return true;
    }

    /**
     * How many posts this message takes here. A message over the platform's limits goes out in
     * several parts, which the outbox delivers and tracks one by one; most messages have one.
     */
    default int partCount(Message message) {
        return 1;
    }

    /**
     * Whether this message goes out here as exactly one post, seen whole: one part, and on a platform
     * that sends a shorter text along with the post (Slack's notification text), that text uncut too.
     * The one rule long output is paged by ({@link PostPages}).
     */
    default boolean fitsOnePost(Message message) {
        return partCount(message) <= 1;
    }

    /**
     * Posts one part of a message and returns its platform id. The platform attaches
     * {@link Part#key()} to the post (Slack metadata, Discord nonce), so that a post whose answer was
     * lost can be found again ({@link #findPosted}) or is not posted twice.
     */
    default String postPart(String channelId, Message message, Part part) {
        return post(channelId, message);
    }

    /**
     * The platform id of a part posted earlier whose answer was lost; empty when it was not posted
     * (or the platform makes a repeated post with the same key harmless by itself).
     */
    default Optional<String> findPosted(String channelId, Part part) {
        return Optional.empty();
    }

    /**
     * A web link that opens the channel in the platform's app, for what Firebreak sends elsewhere
     * (a page names the incident's channel); empty where the platform has none (the console).
     */
    default Optional<String> channelLink(String channelId) {
        return Optional.empty();
    }

    /**
     * Changes a message posted in {@code channelId} (its first part, for a message posted in parts)
     * to read {@code message}. Repeating an edit is harmless, so a lost answer is simply sent again.
     */
    void edit(String channelId, String messageId, Message message);

    /** Shows a message only to one person (Slack ephemeral, Discord ephemeral follow-up, console note). */
    void postPrivately(String channelId, String userId, Message message);

    void setTopic(String channelId, String topic);

    void pin(String channelId, String messageId);

    /** Adds the bot's own reaction, e.g. the approve and reject emoji on an approval request. */
    void react(String channelId, String messageId, String emoji);

    /** The reactions currently on a message, read back after a reconnect. */
    List<ReactionSnapshot> reactions(String channelId, String messageId);

    /**
     * Part {@code index} of a message (0 is the main post); {@code key} is unique to this part of this
     * outbox entry and at most 25 characters; {@code firstPostId} is the platform id of part 0, for
     * the later parts (a Slack thread), null for part 0; {@code threadOf} is the platform id of the
     * message in whose thread this whole message goes (a Slack thread, a Discord thread started on
     * that message, a console line naming it), null for a message of its own.
     */
    record Part(int index, String key, String firstPostId, String threadOf) {
        public Part(int index, String key, String firstPostId) {
            this(index, key, firstPostId, null);
        }
    }

    record Channel(String id, String name) {}

    record ReactionSnapshot(String emoji, List<String> userIds) {}
}
