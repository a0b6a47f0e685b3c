package dev.firebreak.chat.console;

import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Emoji;
import dev.firebreak.kernel.Message;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local terminal as a chat platform. Channels are names; every message the bot posts is
 * printed after a line {@code [#CHANNEL] REF} (REF like {@code m12}) so a script can react to it.
 * Refs continue across restarts because they count the console messages already delivered.
 */
public final class ConsolePlatform implements ChatPlatform {

    private final PrintStream out;
    private final AtomicLong nextRef;
    private final Map<String, String> channelOfRef = new LinkedHashMap<>();
    private final Map<String, Map<String, Set<String>>> reactions = new LinkedHashMap<>();

    public ConsolePlatform(PrintStream out, long messagesAlreadyDelivered) {
        this.out = out;
        this.nextRef = new AtomicLong(messagesAlreadyDelivered);
    }

    /** One terminal shows every channel: messages appear in the order they were queued. */
    @Override
    public boolean postsInParallel() {
        return false;
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public Channel channelNamed(String name) {
        return new Channel(name, name);
    }

    @Override
    public synchronized Channel createChannel(String name, boolean restricted) {
        out.println("[#" + name + "] created" + (restricted ? " (private)" : ""));
        return new Channel(name, name);
    }

    @Override
    public synchronized void invite(String channelId, List<String> userIds) {
        if (!userIds.isEmpty()) out.println("[#" + channelId + "] invited: " + String.join(", ", userIds));
    }

    @Override
    public synchronized String post(String channelId, Message message) {
        String ref = "m" + nextRef.incrementAndGet();
        channelOfRef.put(ref, channelId);
        out.println("[#" + channelId + "] " + ref);
        out.println(message.plainText());
        out.flush();
        return ref;
    }

    /** A message in the thread of another is printed under its own ref, naming the message it answers. */
    @Override
    public synchronized String postPart(String channelId, Message message, Part part) {
        if (part.threadOf() == null) return post(channelId, message);
        String ref = "m" + nextRef.incrementAndGet();
        channelOfRef.put(ref, channelId);
        out.println("[#" + channelId + "] " + ref + " (thread of " + part.threadOf() + ")");
        out.println(message.plainText());
        out.flush();
        return ref;
    }

    /** Prints the message again under its ref, marked edited: a terminal cannot change what it printed. */
    @Override
    public synchronized void edit(String channelId, String messageId, Message message) {
        out.println("[#" + channelId + "] " + messageId + " (edited)");
        out.println(message.plainText());
        out.flush();
    }

    @Override
    public synchronized void postPrivately(String channelId, String userId, Message message) {
        out.println("[private to " + userId + " in #" + channelId + "]");
        out.println(message.plainText());
        out.flush();
    }

    @Override
    public synchronized void setTopic(String channelId, String topic) {
        out.println("[#" + channelId + "] topic: " + topic);
    }

    @Override
    public void pin(String channelId, String messageId) {
        // pinning has no visible effect in a terminal
    }

    @Override
    public synchronized void react(String channelId, String messageId, String emoji) {
        // the bot's own reactions (approve/reject hints) are noise in a terminal
    }

    @Override
    public synchronized List<ReactionSnapshot> reactions(String channelId, String messageId) {
        List<ReactionSnapshot> list = new ArrayList<>();
        reactions.getOrDefault(messageId, Map.of()).forEach((emoji, users) -> list.add(new ReactionSnapshot(emoji, List.copyOf(users))));
        return list;
    }

    /** The number of the last message posted (m1, m2, ...), counting those of earlier runs. */
    long lastRef() {
        return nextRef.get();
    }

    /** The channel a message was posted in this run, or null after a restart. */
    synchronized String channelOf(String ref) {
        return channelOfRef.get(ref);
    }

    synchronized void recordReaction(String ref, String emoji, String userId, boolean added) {
        Set<String> users = reactions.computeIfAbsent(ref, r -> new LinkedHashMap<>())
                .computeIfAbsent(Emoji.normalise(emoji), e -> new LinkedHashSet<>());
        if (added) users.add(userId); else users.remove(userId);
    }
}
