package dev.firebreak.chat.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.methods.response.auth.AuthTestResponse;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import com.slack.api.model.Reaction;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.InvalidInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The engine's view of Slack: channels, posts rendered as Block Kit, ephemeral messages, topics,
 * pins and reactions, all through the Web API with the bot token. Failures are
 * {@link ChatException}s (see {@link SlackWebApi}); the engine's outbox decides about retries.
 */
public final class SlackPlatform implements ChatPlatform {

    private static final Logger log = LoggerFactory.getLogger(SlackPlatform.class);

    /** Slack truncates thread replies far above this; chunks stay readable in a code block. */
    static final int THREAD_CHUNK = 3500;
    static final int MAX_THREAD_CHUNKS = 20;
    static final int TOPIC_LIMIT = 250;
    /** The metadata event type and payload field that carry an outbox part's key on its post. */
    static final String OUTBOX_EVENT = "firebreak_outbox";
    static final String OUTBOX_KEY = "outbox_key";
    /** How many recent messages a look-up for a lost post reads; a retry comes within minutes, long before this many posts. */
    private static final int LOOKUP_WINDOW = 200;

    private final SlackWebApi api;
    private final Cache<String, Channel> channelsByName = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(10)).maximumSize(10_000).build();
    private volatile BotIdentity identity;

    SlackPlatform(SlackWebApi api) {
        this.api = api;
    }

    @Override
    public String name() {
        return "slack";
    }

    /** The bot's team and user, from auth.test on first use; fails permanently on a bad token. */
    BotIdentity identity() {
        BotIdentity known = identity;
        if (known != null) return known;
        AuthTestResponse response = api.call("auth.test", "bot token", m -> m.authTest(r -> r));
        String enterprise = response.getEnterpriseId() == null || response.getEnterpriseId().isBlank() ? null : response.getEnterpriseId();
        known = new BotIdentity(response.getTeamId(), enterprise, response.getUserId(), response.getBotId());
        identity = known;
        return known;
    }

    @Override
    public Channel channelNamed(String name) {
        String wanted = stripHash(name);
        Channel cached = channelsByName.getIfPresent(wanted);
        if (cached != null) return cached;
        String cursor = null;
        do {
            String page = cursor;
            ConversationsListResponse response = api.call("conversations.list", "#" + wanted,
                    m -> m.conversationsList(r -> r
                            .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL))
                            .excludeArchived(true).limit(200).cursor(page)));
            for (Conversation conversation : response.getChannels()) {
                channelsByName.put(conversation.getName(), new Channel(conversation.getId(), conversation.getName()));
            }
            Channel found = channelsByName.getIfPresent(wanted);
            if (found != null) return found;
            cursor = response.getResponseMetadata() == null ? null : response.getResponseMetadata().getNextCursor();
        } while (cursor != null && !cursor.isBlank());
        throw ChatException.permanent("Slack channel #" + wanted + " not found; create it, or for a private"
                + " channel invite the bot with /invite @Firebreak, or fix the channel name in bot/ configuration");
    }

    @Override
    public Channel createChannel(String name, boolean restricted) {
        String channelName = channelName(name);
        String id = api.call("conversations.create", "#" + channelName,
                m -> m.conversationsCreate(r -> r.name(channelName).isPrivate(restricted))).getChannel().getId();
        Channel channel = new Channel(id, channelName);
        channelsByName.put(channelName, channel);
        return channel;
    }

    /**
     * The main post, then (when it is over Block Kit's limits) the full text in its thread, one
     * chunk a part, at most {@link #MAX_THREAD_CHUNKS} and a note saying how many were left out.
     */
    @Override
    public int partCount(Message message) {
        if (!BlockKitRenderer.render(message).truncated()) return 1;
        int chunks = chunks(BlockKitRenderer.fullText(message), THREAD_CHUNK).size();
        return 1 + Math.min(chunks, MAX_THREAD_CHUNKS) + (chunks > MAX_THREAD_CHUNKS ? 1 : 0);
    }

    /** One part, and its notification text not cut either: a page's footer is the last thing in it. */
    @Override
    public boolean fitsOnePost(Message message) {
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.render(message);
        return !rendered.truncated() && !rendered.fallbackCut();
    }

    /** Posts every part of the message in turn, outside the outbox; returns the main post's ts. */
    @Override
    public void invite(String channelId, List<String> userIds) {
        Set<String> invitees = new LinkedHashSet<>(userIds);
        invitees.remove(identity().userId());
        invitees.removeIf(String::isBlank);
        if (invitees.isEmpty()) return;
        List<String> users = List.copyOf(invitees);
        api.call("conversations.invite", channelId,
                m -> m.conversationsInvite(r -> r.channel(channelId).users(users)), "already_in_channel");
    }

    @Override
    public String post(String channelId, Message message) {
        String ts = postPart(channelId, message, new Part(0, null, null));
        for (int index = 1; index < partCount(message); index++) postPart(channelId, message, new Part(index, null, ts));
        return ts;
    }

    /** chat.update of the main post; what does not fit in it is cut, with a note (the thread keeps the first full text). */
    @Override
    public void edit(String channelId, String messageId, Message message) {
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.render(message);
        var blocks = new ArrayList<>(rendered.blocks());
        if (rendered.truncated()) blocks.add(BlockKitRenderer.note("Output truncated here."));
        api.call("chat.update", channelId, m -> m.chatUpdate(r -> r.channel(channelId).ts(messageId)
                .text(rendered.fallbackText()).blocks(blocks)));
    }

    /**
     * Part 0 is the main post, the rest are thread replies to it; each carries its key in the post's
     * metadata. A message in the thread of another ({@link Part#threadOf()}) has all its parts there.
     */
    @Override
    public String postPart(String channelId, Message message, Part part) {
        com.slack.api.model.Message.Metadata metadata = part.key() == null ? null
                : com.slack.api.model.Message.Metadata.builder().eventType(OUTBOX_EVENT)
                .eventPayload(Map.of(OUTBOX_KEY, part.key())).build();
        if (part.index() == 0) {
            BlockKitRenderer.Rendered rendered = BlockKitRenderer.render(message);
            var blocks = new ArrayList<>(rendered.blocks());
            if (rendered.truncated()) blocks.add(BlockKitRenderer.note("Output truncated here; the full text is in the thread."));
            return api.call("chat.postMessage", channelId, m -> m.chatPostMessage(r -> r
                    .channel(channelId).threadTs(part.threadOf()).text(rendered.fallbackText()).blocks(blocks)
                    .metadata(metadata).unfurlLinks(false).unfurlMedia(false))).getTs();
        }
        List<String> chunks = chunks(BlockKitRenderer.fullText(message), THREAD_CHUNK);
        String body;
        if (part.index() <= Math.min(chunks.size(), MAX_THREAD_CHUNKS)) {
            int i = part.index() - 1;
            String label = chunks.size() > 1 ? "Full text, part " + (i + 1) + " of " + chunks.size() : "Full text";
            body = label + "\n```\n" + BlockKitRenderer.escape(chunks.get(i)).replace("```", "`\u200b``") + "\n```";
        } else {
            body = "… " + (chunks.size() - MAX_THREAD_CHUNKS) + " more parts not posted; see the incident timeline.";
        }
        return api.call("chat.postMessage", channelId, m -> m.chatPostMessage(r -> r
                .channel(channelId).threadTs(part.threadOf() != null ? part.threadOf() : part.firstPostId())
                .text(body).mrkdwn(true).unfurlLinks(false)
                .metadata(metadata))).getTs();
    }

    /**
     * Finds a part posted earlier by the key in its metadata: the main post among the channel's
     * latest messages, a thread part among the replies to the post it went under.
     */
    /** Slack's redirect into the app (or the browser) at the channel. */
    @Override
    public Optional<String> channelLink(String channelId) {
        return Optional.of("https://slack.com/app_redirect?channel=" + URLEncoder.encode(channelId, StandardCharsets.UTF_8));
    }

    @Override
    public Optional<String> findPosted(String channelId, Part part) {
        List<com.slack.api.model.Message> messages;
        String thread = part.threadOf() != null ? part.threadOf() : part.firstPostId();
        if (thread == null) {
            messages = api.call("conversations.history", channelId, m -> m.conversationsHistory(r -> r
                    .channel(channelId).includeAllMetadata(true).limit(LOOKUP_WINDOW))).getMessages();
        } else {
            messages = api.call("conversations.replies", channelId, m -> m.conversationsReplies(r -> r
                    .channel(channelId).ts(thread).includeAllMetadata(true).limit(LOOKUP_WINDOW))).getMessages();
        }
        if (messages == null) return Optional.empty();
        return messages.stream()
                .filter(message -> message.getMetadata() != null && OUTBOX_EVENT.equals(message.getMetadata().getEventType())
                        && message.getMetadata().getEventPayload() != null
                        && part.key().equals(String.valueOf(message.getMetadata().getEventPayload().get(OUTBOX_KEY))))
                .map(com.slack.api.model.Message::getTs).findFirst();
    }

    static List<String> chunks(String text, int size) {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = Math.min(text.length(), start + size);
            if (end < text.length()) {
                int newline = text.lastIndexOf('\n', end);
                if (newline > start + size / 2) end = newline + 1;
            }
            chunks.add(text.substring(start, end));
            start = end;
        }
        return chunks;
    }

    @Override
    public void postPrivately(String channelId, String userId, Message message) {
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.renderPrivate(message);
        api.call("chat.postEphemeral", channelId, m -> m.chatPostEphemeral(r -> r
                .channel(channelId).user(userId).text(rendered.fallbackText()).blocks(rendered.blocks())));
    }

    @Override
    public void setTopic(String channelId, String topic) {
        String cut = BlockKitRenderer.cut(BlockKitRenderer.escape(topic), TOPIC_LIMIT);
        api.call("conversations.setTopic", channelId, m -> m.conversationsSetTopic(r -> r.channel(channelId).topic(cut)));
    }

    @Override
    public void pin(String channelId, String messageId) {
        api.call("pins.add", channelId, m -> m.pinsAdd(r -> r.channel(channelId).timestamp(messageId)), "already_pinned");
    }

    @Override
    public void react(String channelId, String messageId, String emoji) {
        String name = emojiName(emoji);
        api.call("reactions.add", channelId,
                m -> m.reactionsAdd(r -> r.channel(channelId).timestamp(messageId).name(name)), "already_reacted");
    }

    /** Reactions on a message by people: the bot's own reactions are left out, skin tones folded in. */
    @Override
    public List<ReactionSnapshot> reactions(String channelId, String messageId) {
        var response = api.call("reactions.get", channelId,
                m -> m.reactionsGet(r -> r.channel(channelId).timestamp(messageId).full(true)));
        List<Reaction> reactions = response.getMessage() == null || response.getMessage().getReactions() == null
                ? List.of() : response.getMessage().getReactions();
        String botUser = identity().userId();
        Map<String, LinkedHashSet<String>> byEmoji = new LinkedHashMap<>();
        for (Reaction reaction : reactions) {
            LinkedHashSet<String> users = byEmoji.computeIfAbsent(emojiName(reaction.getName()), k -> new LinkedHashSet<>());
            if (reaction.getUsers() != null) users.addAll(reaction.getUsers());
            users.remove(botUser);
        }
        List<ReactionSnapshot> snapshots = new ArrayList<>();
        byEmoji.forEach((emoji, users) -> {
            if (!users.isEmpty()) snapshots.add(new ReactionSnapshot(emoji, List.copyOf(users)));
        });
        return snapshots;
    }

    /** {@code :+1::skin-tone-3:} and {@code +1} are the same reaction. */
    static String emojiName(String emoji) {
        String name = emoji.trim();
        if (name.startsWith(":")) name = name.substring(1);
        if (name.endsWith(":")) name = name.substring(0, name.length() - 1);
        int tone = name.indexOf("::skin-tone-");
        return tone >= 0 ? name.substring(0, tone) : name;
    }

    private static String stripHash(String name) {
        String trimmed = name.trim();
        return trimmed.startsWith("#") ? trimmed.substring(1) : trimmed;
    }

    /** Slack channel names: lowercase letters, digits, hyphens and underscores, at most 80. */
    static String channelName(String name) {
        String cleaned = stripHash(name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
        if (cleaned.isEmpty()) {
            throw new InvalidInput("channel name '" + name + "' has no usable characters; use lowercase letters,"
                    + " digits, hyphens or underscores");
        }
        return cleaned.length() > 80 ? cleaned.substring(0, 80) : cleaned;
    }
}
