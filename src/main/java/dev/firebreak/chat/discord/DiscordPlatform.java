package dev.firebreak.chat.discord;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Message;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.MessageReaction;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.concrete.Category;
import net.dv8tion.jda.api.entities.channel.attribute.IThreadContainer;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.entities.channel.middleman.StandardGuildMessageChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.entities.emoji.EmojiUnion;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.requests.restaction.ChannelAction;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Firebreak's outbound side on one Discord server. Every call blocks for at most the configured
 * timeout, so call it from a virtual thread; failures come back as {@link ChatException}.
 *
 * <p>{@link #postPrivately}: Discord has ephemeral messages only as answers to an interaction. While
 * the person's slash command is still being answered, the message goes as an ephemeral follow-up to
 * it; otherwise it goes as a direct message, and if the person does not accept DMs from server
 * members, it is posted in the channel with a mention of them.
 */
public final class DiscordPlatform implements ChatPlatform {

    static final String INCIDENTS_CATEGORY = "incidents";
    private static final Logger LOG = LoggerFactory.getLogger(DiscordPlatform.class);
    private static final int TOPIC_LIMIT = 1024;
    /** The name of a thread Firebreak starts on one of its messages for the details that follow it. */
    static final String THREAD_NAME = "Details";
    private static final EnumSet<Permission> MEMBER_ACCESS = EnumSet.of(Permission.VIEW_CHANNEL,
            Permission.MESSAGE_SEND, Permission.MESSAGE_HISTORY, Permission.MESSAGE_ADD_REACTION);

    private final JDA jda;
    private final long guildId;
    private final Duration timeout;
    private final DiscordRenderer renderer = new DiscordRenderer();
    private final Map<String, InteractionHook> openInteractions = new ConcurrentHashMap<>();
    /**
     * The details threads JDA does not know as active, by the id of the message they are on: an
     * archived one found among the channel's archived threads, or one a moderator locked (found so,
     * or a post into it refused); so each is looked up once, not for every post. An entry is kept ten
     * minutes, so a thread a moderator unlocks is used again.
     */
    private final Cache<String, KnownThread> knownThreads = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(10))
            .maximumSize(10_000).build();

    /** @param thread the archived thread found; null when only a refused post said it is locked */
    private record KnownThread(ThreadChannel thread, boolean locked) {}

    DiscordPlatform(JDA jda, long guildId, Duration timeout) {
        this.jda = jda;
        this.guildId = guildId;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "discord";
    }

    /** The channel on this server in Discord's app or browser. */
    @Override
    public Optional<String> channelLink(String channelId) {
        return Optional.of("https://discord.com/channels/" + Long.toUnsignedString(guildId) + "/" + channelId);
    }

    @Override
    public Channel channelNamed(String name) {
        String wanted = name.startsWith("#") ? name.substring(1) : name;
        return guild().getTextChannelsByName(wanted, true).stream().findFirst()
                .map(channel -> new Channel(channel.getId(), channel.getName()))
                .orElseThrow(() -> ChatException.permanent("no text channel #" + wanted + " on the Discord server "
                        + guild().getName() + "; create it, or fix the channel name in bot/ configuration"));
    }

    @Override
    public Channel createChannel(String name, boolean restricted) {
        Guild guild = guild();
        Category category = incidentsCategory(guild);
        ChannelAction<TextChannel> action = guild.createTextChannel(name, category);
        if (restricted) {
            action = action.addPermissionOverride(guild.getPublicRole(), null, EnumSet.of(Permission.VIEW_CHANNEL))
                    .addMemberPermissionOverride(jda.getSelfUser().getIdLong(), MEMBER_ACCESS, null);
        }
        TextChannel channel = await("create channel #" + name, action);
        return new Channel(channel.getId(), channel.getName());
    }

    /** Each person gets a permission overwrite that lets them see and write in the channel. */
    @Override
    public void invite(String channelId, List<String> userIds) {
        GuildMessageChannel channel = channel(channelId);
        if (!(channel instanceof TextChannel text)) {
            throw ChatException.permanent("#" + channel.getName() + " is not a text channel; people can only be given access to text channels");
        }
        for (String userId : new LinkedHashSet<>(userIds)) {
            if (userId.isBlank() || userId.equals(jda.getSelfUser().getId())) continue;
            var member = await("find member " + userId, guild().retrieveMemberById(snowflake(userId, "user id")));
            await("give " + userId + " access to #" + text.getName(), text.upsertPermissionOverride(member).grant(MEMBER_ACCESS));
        }
    }

    private Category incidentsCategory(Guild guild) {
        List<Category> existing = guild.getCategoriesByName(INCIDENTS_CATEGORY, true);
        if (!existing.isEmpty()) return existing.getFirst();
        return await("create the '" + INCIDENTS_CATEGORY + "' category", guild.createCategory(INCIDENTS_CATEGORY));
    }

    /** Posts the message, in several parts when Discord's limits require; returns the id of the first. */
    @Override
    public String post(String channelId, Message message) {
        return post(channelId, message, Set.of());
    }

    /** As {@link #post(String, Message)}; mentions of {@code silentUserIds} do not notify them. */
    String post(String channelId, Message message, Set<String> silentUserIds) {
        GuildMessageChannel channel = channel(channelId);
        String first = null;
        for (DiscordPost post : renderer.render(message)) {
            MessageCreateData data = DiscordMessages.toCreateData(post, silentUserIds);
            net.dv8tion.jda.api.entities.Message sent = await("post in #" + channel.getName(), channel.sendMessage(data));
            if (first == null) first = sent.getId();
        }
        return first;
    }

    @Override
    public int partCount(Message message) {
        return renderer.render(message).size();
    }

    /**
     * Posts one of the message's parts with the part's key as its {@code nonce} and
     * {@code enforce_nonce}: Discord answers a repeated create with the same nonce with the message
     * it already made, so a part whose answer was lost is not posted twice.
     */
    @Override
    public String postPart(String channelId, Message message, Part part) {
        GuildMessageChannel channel = part.threadOf() == null ? channel(channelId) : thread(channelId, part.threadOf());
        List<DiscordPost> posts = renderer.render(message);
        MessageCreateData data = DiscordMessages.toCreateData(posts.get(part.index()), Set.of());
        var create = channel.sendMessage(data);
        if (part.key() != null) create = create.setNonce(part.key());
        if (part.threadOf() == null || !(channel instanceof ThreadChannel thread)) {
            return await("post in #" + channel.getName(), create).getId();
        }
        // a thread archived and locked by a moderator since JDA last heard of it: Discord refuses the post
        Optional<String> posted = await("post in the thread #" + thread.getName(), create.map(sent -> Optional.of(sent.getId()))
                .onErrorMap(ErrorResponse.test(ErrorResponse.ILLEGAL_OPERATION_ARCHIVED_THREAD, ErrorResponse.THREAD_LOCKED),
                        refused -> Optional.empty()));
        if (posted.isPresent()) return posted.get();
        GuildMessageChannel parent = channel(channelId);
        knownThreads.put(part.threadOf(), new KnownThread(null, true));
        LOG.warn("Discord: the thread on message {} in #{} is archived and locked by a moderator (unlock it for Firebreak to post "
                + "there again); posting in the channel instead", part.threadOf(), parent.getName());
        var instead = parent.sendMessage(data);
        if (part.key() != null) instead = instead.setNonce(part.key());
        return await("post in #" + parent.getName(), instead).getId();
    }

    /**
     * The thread started on message {@code messageId} of the channel: the active one JDA knows, an
     * archived one (Discord archives a thread after a day without messages, and JDA then forgets it),
     * or a new one (its id is the message's). Posting in an archived thread unarchives it: "Sending a
     * message will automatically unarchive the thread, unless the thread has been locked by a
     * moderator" (Discord's Threads topic), so no PATCH is needed. A thread a moderator locked is
     * left locked. Where no thread can be used (the channel is itself a thread, the bot may not
     * create threads, the thread is locked), the channel itself. What an archived thread's lookup
     * found is remembered ({@link #knownThreads}).
     */
    private GuildMessageChannel thread(String channelId, String messageId) {
        KnownThread known = knownThreads.getIfPresent(messageId);
        if (known != null && known.locked()) return channel(channelId);
        ThreadChannel existing = guild().getThreadChannelById(snowflake(messageId, "message id"));
        if (existing != null) return existing;
        if (known != null) return known.thread();
        GuildMessageChannel channel = channel(channelId);
        if (!(channel instanceof IThreadContainer container)) return channel;
        Optional<ThreadChannel> started;
        try {
            started = await("start a thread on message " + messageId + " in #" + channel.getName(),
                    container.createThreadChannel(THREAD_NAME, messageId).map(Optional::of)
                            .onErrorMap(ErrorResponse.test(ErrorResponse.THREAD_WITH_THIS_MESSAGE_ALREADY_EXISTS),
                                    exists -> Optional.empty()));
        } catch (ChatException e) {
            if (!e.permanent()) throw e;
            LOG.info("Discord: no thread on message {} in #{} ({}); posting in the channel", messageId, channel.getName(),
                    e.getMessage());
            return channel;
        }
        if (started.isPresent()) return started.get();
        // Discord has the thread, JDA does not: it was archived
        Optional<ThreadChannel> archived = archivedThread(container, messageId);
        archived.ifPresent(found -> knownThreads.put(messageId, new KnownThread(found, found.isLocked())));
        if (archived.isPresent() && !archived.get().isLocked()) return archived.get();
        LOG.warn("Discord: the thread on message {} in #{} is {}; posting in the channel instead", messageId, channel.getName(),
                archived.isPresent() ? "archived and locked by a moderator (unlock it for Firebreak to post there again)"
                        : "not among the channel's " + ARCHIVED_LOOKED_AT + " most recently archived threads");
        return channel;
    }

    /** How many of a channel's archived threads, newest archived first, are looked through for one thread. */
    private static final int ARCHIVED_LOOKED_AT = 500;

    private Optional<ThreadChannel> archivedThread(IThreadContainer container, String threadId) {
        ThreadChannel[] found = {null};
        int[] seen = {0};
        awaitFuture("read the archived threads of #" + container.getName(),
                container.retrieveArchivedPublicThreadChannels().cache(false).forEachAsync(thread -> {
                    if (thread.getId().equals(threadId)) {
                        found[0] = thread;
                        return false;
                    }
                    return ++seen[0] < ARCHIVED_LOOKED_AT;
                }));
        return Optional.ofNullable(found[0]);
    }

    /** PATCH of the message with the first part of the new text; what does not fit in one Discord message is cut. */
    @Override
    public void edit(String channelId, String messageId, Message message) {
        GuildMessageChannel channel = channel(channelId);
        MessageCreateData data = DiscordMessages.toCreateData(renderer.render(message).getFirst(), Set.of());
        await("edit a message in #" + channel.getName(), channel.editMessageById(snowflake(messageId, "message id"),
                net.dv8tion.jda.api.utils.messages.MessageEditData.fromCreateData(data)));
    }

    @Override
    public void postPrivately(String channelId, String userId, Message message) {
        InteractionHook hook = openInteractions.get(interactionKey(channelId, userId));
        if (hook != null && !hook.isExpired()) {
            for (DiscordPost post : renderer.render(message)) {
                await("answer privately", hook.sendMessage(DiscordMessages.toCreateData(post)).setEphemeral(true));
            }
            return;
        }
        try {
            var dm = await("open a direct message", jda.openPrivateChannelById(snowflake(userId, "user id")));
            for (DiscordPost post : renderer.render(message)) {
                await("send a direct message", dm.sendMessage(DiscordMessages.toCreateData(post)));
            }
        } catch (ChatException e) {
            LOG.info("Discord: direct message to {} failed ({}); mentioning them in the channel instead", userId, e.getMessage());
            post(channelId, Message.builder().paragraph("<@" + userId + ">").append(message).build());
        }
    }

    @Override
    public void setTopic(String channelId, String topic) {
        String value = topic;
        if (value.length() > TOPIC_LIMIT) {
            LOG.info("Discord: topic for channel {} is {} characters, Discord allows {}; shortened with an ellipsis",
                    channelId, value.length(), TOPIC_LIMIT);
            value = value.substring(0, TOPIC_LIMIT - 1) + "…";
        }
        GuildMessageChannel channel = channel(channelId);
        if (!(channel instanceof StandardGuildMessageChannel standard)) {
            throw ChatException.permanent("#" + channel.getName() + " is a " + channel.getType().name().toLowerCase(java.util.Locale.ROOT)
                    + " channel, which has no topic on Discord; set topics on text channels only");
        }
        await("set the topic of #" + channel.getName(), standard.getManager().setTopic(value));
    }

    @Override
    public void pin(String channelId, String messageId) {
        GuildMessageChannel channel = channel(channelId);
        await("pin message " + messageId + " in #" + channel.getName(), channel.pinMessageById(snowflake(messageId, "message id")));
    }

    @Override
    public void react(String channelId, String messageId, String emoji) {
        GuildMessageChannel channel = channel(channelId);
        String what = "add reaction " + emoji + " to message " + messageId + " in #" + channel.getName();
        Emoji discordEmoji = toEmoji(what, emoji);
        await(what, channel.addReactionById(snowflake(messageId, "message id"), discordEmoji));
    }

    @Override
    public List<ReactionSnapshot> reactions(String channelId, String messageId) {
        GuildMessageChannel channel = channel(channelId);
        String where = "message " + messageId + " in #" + channel.getName();
        var message = await("read " + where, channel.retrieveMessageById(snowflake(messageId, "message id")));
        long self = jda.getSelfUser().getIdLong();
        List<ReactionSnapshot> snapshots = new ArrayList<>();
        for (MessageReaction reaction : message.getReactions()) {
            EmojiUnion emoji = reaction.getEmoji();
            String discordName = emoji.getType() == Emoji.Type.UNICODE ? emoji.getName() : emoji.getFormatted();
            List<User> users = awaitFuture("read who reacted " + discordName + " on " + where,
                    reaction.retrieveUsers().takeRemainingAsync(10_000));
            List<String> ids = users.stream().filter(u -> u.getIdLong() != self).map(User::getId).toList();
            if (!ids.isEmpty()) snapshots.add(new ReactionSnapshot(EmojiNames.toNeutral(discordName), ids));
        }
        return snapshots;
    }

    /** While a slash command runs, private messages to its author in its channel go as ephemeral follow-ups. */
    void interactionOpened(String channelId, String userId, InteractionHook hook) {
        openInteractions.put(interactionKey(channelId, userId), hook);
    }

    void interactionClosed(String channelId, String userId, InteractionHook hook) {
        openInteractions.remove(interactionKey(channelId, userId), hook);
    }

    List<DiscordPost> render(Message message) {
        return renderer.render(message);
    }

    private static String interactionKey(String channelId, String userId) {
        return channelId + "/" + userId;
    }

    private Guild guild() {
        Guild guild = jda.getGuildById(guildId);
        if (guild == null) {
            throw ChatException.permanent("the bot is not on the Discord server " + Long.toUnsignedString(guildId)
                    + " (" + DiscordSettings.GUILD + "); invite it with the bot and applications.commands scopes");
        }
        return guild;
    }

    /** A text channel, announcement channel or thread of the configured server. */
    private GuildMessageChannel channel(String channelId) {
        GuildMessageChannel channel = guild().getChannelById(GuildMessageChannel.class, snowflake(channelId, "channel id"));
        if (channel == null) {
            throw ChatException.permanent("no text channel or thread " + channelId + " on the Discord server "
                    + guild().getName() + " that the bot can see; check the id and the bot's View Channel permission");
        }
        return channel;
    }

    private static Emoji toEmoji(String what, String emoji) {
        try {
            return Emoji.fromFormatted(EmojiNames.toDiscord(emoji));
        } catch (IllegalArgumentException e) {
            throw DiscordFailures.translate(what, e);
        }
    }

    private static long snowflake(String id, String what) {
        try {
            return Long.parseUnsignedLong(id);
        } catch (NumberFormatException e) {
            throw ChatException.permanent("'" + id + "' is not a Discord " + what + " (a number such as 1234567890123456789)");
        }
    }

    <T> T await(String what, RestAction<T> action) {
        try {
            return awaitFuture(what, action.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).submit());
        } catch (ChatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DiscordFailures.translate(what, e);
        }
    }

    <T> T awaitFuture(String what, java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw ChatException.transientFailure(what + ": interrupted");
        } catch (ExecutionException | TimeoutException e) {
            future.cancel(true);
            throw DiscordFailures.translate(what, e);
        }
    }
}
