package dev.firebreak.chat.discord;

import dev.firebreak.chat.ChatAdapter;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Reply;
import dev.firebreak.kernel.OutboundText;
import dev.firebreak.kernel.InvalidInput;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.entities.emoji.EmojiUnion;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.events.message.react.GenericMessageReactionEvent;
import net.dv8tion.jda.api.events.message.react.MessageReactionAddEvent;
import net.dv8tion.jda.api.events.message.react.MessageReactionRemoveEvent;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.SessionRecreateEvent;
import net.dv8tion.jda.api.events.session.SessionResumeEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Firebreak on one Discord server, through JDA. Every slash command of the {@link CommandCatalog} is
 * registered on the server; each one is deferred at once (ephemerally) and run on a virtual thread.
 *
 * <p>Answers: the deferral is ephemeral because only the engine knows, after the work, whether the
 * answer is private. A {@link Reply.Visibility#PRIVATE PRIVATE} reply replaces the deferred
 * "thinking" message, so only the person sees it. A {@code PUBLIC} reply is posted in the channel as
 * an ordinary message naming who ran what, and the ephemeral placeholder is deleted; if the bot
 * cannot post there, the reply stays in the ephemeral answer with the reason.
 *
 * <p>Intents: guild messages and message content (for the incident and alert channels) and guild
 * message reactions; no member list, presence or voice caches.
 */
public final class DiscordAdapter implements ChatAdapter {

    static final EnumSet<GatewayIntent> INTENTS = EnumSet.of(GatewayIntent.GUILD_MESSAGES,
            GatewayIntent.MESSAGE_CONTENT, GatewayIntent.GUILD_MESSAGE_REACTIONS);
    private static final Logger LOG = LoggerFactory.getLogger(DiscordAdapter.class);
    private static final String PLATFORM = "discord";

    private final DiscordSettings settings;
    private final SlashCommands commands;
    private final ExecutorService work;
    private final Duration timeout;
    private final OrderedDelivery inOrder;
    private final boolean ownsWork;
    private volatile JDA jda;
    private volatile DiscordPlatform platform;
    private volatile InboundListener listener;
    private volatile boolean stopped;
    private final Object platformLock = new Object();

    /**
     * @param work    runs commands, reactions and reconciliation (virtual threads); the caller shuts it down
     * @param timeout the longest any one Discord call may take
     */
    public DiscordAdapter(DiscordSettings settings, CommandCatalog commands, ExecutorService work, Duration timeout) {
        this(settings, commands, work, timeout, false);
    }

    private DiscordAdapter(DiscordSettings settings, CommandCatalog commands, ExecutorService work, Duration timeout,
                           boolean ownsWork) {
        this.ownsWork = ownsWork;
        this.settings = settings;
        this.commands = new SlashCommands(commands);
        this.work = work;
        this.timeout = timeout;
        this.inOrder = new OrderedDelivery(work);
    }

    /**
     * The adapter when {@code DISCORD_BOT_TOKEN} and {@code DISCORD_GUILD_ID} are set, else empty
     * after logging what is missing and how to set it.
     */
    public static Optional<DiscordAdapter> fromEnvironment(Map<String, String> env, CommandCatalog commands) {
        return switch (DiscordSettings.fromEnvironment(env)) {
            case DiscordSettings.Ready ready -> Optional.of(new DiscordAdapter(ready.settings(), commands,
                    Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(15), true));
            case DiscordSettings.Missing missing -> {
                LOG.info(missing.explanation());
                yield Optional.empty();
            }
        };
    }

    /**
     * The outbound platform, connecting first if needed: the engine is assembled with it before
     * {@link #start} hands over the listener.
     */
    @Override
    public ChatPlatform platform() {
        connect();
        return platform;
    }

    /**
     * Starts delivering inbound events to {@code listener}, connecting first if needed, and re-reads
     * the reactions on pending approvals (votes given while Firebreak was down count).
     */
    @Override
    public void start(InboundListener listener) {
        this.listener = listener;
        connect();
        reconcileSoon("start");
    }

    /** Logs in, waits for the server to be ready and registers the slash commands; once. */
    private synchronized void connect() {
        if (jda != null) return;
        CountDownLatch ready = new CountDownLatch(1);
        JDABuilder builder = JDABuilder.createLight(settings.token().reveal(), INTENTS)
                .addEventListeners((EventListener) event -> onEvent(event, ready))
                .setEnableShutdownHook(false);
        settings.apiUrl().ifPresent(url -> builder.setRestConfig(new RestConfig().setBaseUrl(url)));
        settings.gatewayUrl().ifPresent(url -> builder
                .setSessionController(new FixedGateway(url))
                .setCompression(Compression.NONE));
        JDA connection;
        try {
            connection = builder.build();
        } catch (InvalidTokenException e) {
            throw ChatException.permanent("Discord rejected " + DiscordSettings.TOKEN + " (401 Unauthorized); "
                    + "copy the current token from the developer portal (Bot > Reset Token)");
        }
        DiscordPlatform out = platformFor(connection);
        try {
            awaitReady(ready);
            Guild guild = connection.getGuildById(settings.guildId());
            if (guild == null) {
                throw ChatException.permanent("the bot is not on the Discord server " + Long.toUnsignedString(settings.guildId())
                        + " (" + DiscordSettings.GUILD + "); invite it with the bot and applications.commands scopes");
            }
            try {
                out.await("register slash commands on " + guild.getName(), guild.updateCommands().addCommands(commands.commandData()));
            } catch (ChatException e) {
                throw new ChatException(e.getMessage() + (e.permanent()
                        ? "; the bot must be invited with the applications.commands scope" : ""), null, e.permanent());
            }
            LOG.info("Discord: connected to {} with {} slash commands", guild.getName(), commands.commandData().size());
            jda = connection;
        } catch (RuntimeException e) {
            shutdown(connection);
            synchronized (platformLock) {
                platform = null;
            }
            throw e;
        }
    }

    private void awaitReady(CountDownLatch ready) {
        Duration limit = timeout.multipliedBy(4);
        try {
            if (!ready.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw ChatException.transientFailure("Discord did not finish connecting within " + limit.toSeconds()
                        + " s; check network access to Discord (gateway " + settings.gatewayUrl().orElse("from Discord") + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChatException.transientFailure("interrupted while connecting to Discord");
        }
    }

    /** The platform for this connection; events may arrive before {@code start} has stored it. */
    private DiscordPlatform platformFor(JDA connection) {
        DiscordPlatform current = platform;
        if (current != null) return current;
        synchronized (platformLock) {
            if (platform == null) platform = new DiscordPlatform(connection, settings.guildId(), timeout);
            return platform;
        }
    }

    /** True while the gateway connection is up (false while reconnecting or before connecting). */
    public boolean connected() {
        JDA current = jda;
        return current != null && current.getStatus() == JDA.Status.CONNECTED;
    }

    /**
     * New commands are answered "restarting"; reactions and messages are left for the next start to
     * read (it re-reads pending approvals). The commands already running finish, replies included,
     * while the connection stays up.
     */
    @Override
    public void stopReceiving() {
        stopped = true;
        if (!ownsWork) return; // the caller's to shut down
        work.shutdown();
        try {
            if (!work.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) work.shutdownNow();
        } catch (InterruptedException e) {
            work.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopReceiving();
        JDA current = jda;
        if (current != null) shutdown(current);
    }

    private static void shutdown(JDA connection) {
        connection.shutdown();
        try {
            if (!connection.awaitShutdown(Duration.ofSeconds(5))) connection.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.shutdownNow();
        }
    }

    private void onEvent(GenericEvent event, CountDownLatch ready) {
        switch (event) {
            case SlashCommandInteractionEvent command -> onSlashCommand(command);
            case MessageReactionAddEvent add -> onReaction(add, true);
            case MessageReactionRemoveEvent remove -> onReaction(remove, false);
            case MessageReceivedEvent message -> onMessage(message);
            case ReadyEvent connected -> {
                platformFor(connected.getJDA());
                ready.countDown();
                reconcileSoon("connected");
            }
            case SessionResumeEvent resumed -> reconcileSoon("resumed session");
            case SessionRecreateEvent recreated -> reconcileSoon("new session");
            default -> { }
        }
    }

    private boolean inOurGuild(Guild guild) {
        return guild != null && guild.getIdLong() == settings.guildId();
    }

    private void onSlashCommand(SlashCommandInteractionEvent event) {
        if (!event.isFromGuild() || !inOurGuild(event.getGuild())) {
            event.reply("Firebreak answers only on its own server.").setEphemeral(true).queue(null, failure ->
                    LOG.warn("Discord: could not answer a command from another server: {}", failure.toString()));
            return;
        }
        if (listener == null || stopped) {
            String state = stopped ? "restarting" : "starting";
            event.reply("Firebreak is " + state + "; try again in a moment.").setEphemeral(true).queue(null, failure ->
                    LOG.warn("Discord: could not answer a command while {}: {}", state, failure.toString()));
            return;
        }
        CompletableFuture<InteractionHook> acknowledged = event.deferReply(true).submit();
        String text = commands.commandLine(event.getName(), event.getSubcommandName(),
                name -> SlashCommands.optionValue(event.getOption(name)));
        Inbound.Command command = new Inbound.Command(PLATFORM, event.getUser().getId(), event.getChannelId(), text);
        InteractionHook hook = event.getHook();
        try {
            work.execute(() -> runCommand(command, hook, acknowledged));
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // stopReceiving ran between the check above and here
            hook.editOriginal("Firebreak is restarting; try again in a moment.").queue(null, failure ->
                    LOG.warn("Discord: could not answer a command while restarting: {}", failure.toString()));
        }
    }

    private void runCommand(Inbound.Command command, InteractionHook hook, CompletableFuture<InteractionHook> acknowledged) {
        DiscordPlatform out = platformFor(hook.getJDA());
        out.interactionOpened(command.channelId(), command.userId(), hook);
        try {
            Reply reply = replyTo(command);
            try {
                out.awaitFuture("acknowledge " + command.text(), acknowledged);
            } catch (ChatException e) {
                LOG.warn("Discord: {} was not acknowledged ({}); answering by direct message", command.text(), e.getMessage());
                answerByDirectMessage(out, command, hook, reply);
                return;
            }
            answer(out, command, hook, reply);
        } catch (ChatException e) {
            LOG.warn("Discord: answering {} failed: {}", command.text(), e.getMessage());
        } finally {
            out.interactionClosed(command.channelId(), command.userId(), hook);
        }
    }

    private Reply replyTo(Inbound.Command command) {
        try {
            Reply reply = listener.onCommand(command);
            return reply != null ? reply : Reply.privately("Done.");
        } catch (InvalidInput e) {
            return Reply.privately(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Discord: command {} failed", command.text(), e);
            return Reply.privately("Firebreak could not run `" + command.text() + "`: an internal error, logged for the operators.");
        }
    }

    private void answer(DiscordPlatform out, Inbound.Command command, InteractionHook hook, Reply reply) {
        if (hook.isExpired()) {
            // Discord keeps an interaction open for 15 minutes; later answers go by direct message
            answerByDirectMessage(out, command, hook, reply);
            return;
        }
        if (reply.visibility() == Reply.Visibility.PUBLIC) {
            Message inChannel = Message.builder().append(reply.message())
                    .note("<@" + command.userId() + "> ran " + OutboundText.clean(command.text())).build();
            try {
                out.post(command.channelId(), inChannel, Set.of(command.userId()));
                out.await("remove the placeholder answer", hook.deleteOriginal());
                return;
            } catch (ChatException e) {
                reply = Reply.privately(Message.builder().append(reply.message())
                        .note("Not posted in the channel: " + e.getMessage()).build());
            }
        }
        List<DiscordPost> posts = out.render(reply.message());
        out.await("answer " + command.text(),
                hook.editOriginal(MessageEditData.fromCreateData(DiscordMessages.toCreateData(posts.getFirst()))));
        for (DiscordPost post : posts.subList(1, posts.size())) {
            out.await("answer " + command.text(), hook.sendMessage(DiscordMessages.toCreateData(post)).setEphemeral(true));
        }
    }

    private static void answerByDirectMessage(DiscordPlatform out, Inbound.Command command, InteractionHook hook, Reply reply) {
        out.interactionClosed(command.channelId(), command.userId(), hook);
        out.postPrivately(command.channelId(), command.userId(), Message.builder().append(reply.message())
                .note("Answer to " + command.text()).build());
    }

    private void onReaction(GenericMessageReactionEvent event, boolean added) {
        // before start, reactions are not lost: start() re-reads the pending approval messages
        if (listener == null || stopped) return;
        if (!event.isFromGuild() || !inOurGuild(event.getGuild())) return;
        if (event.getUserIdLong() == event.getJDA().getSelfUser().getIdLong()) return;
        if (added && event.getMember() == null) return;
        EmojiUnion emoji = event.getEmoji();
        String name = emoji.getType() == Emoji.Type.UNICODE ? emoji.getName() : emoji.getFormatted();
        Inbound.Reaction reaction = new Inbound.Reaction(PLATFORM, event.getUserId(), event.getChannel().getId(),
                event.getMessageId(), EmojiNames.toNeutral(name), added);
        inOrder.submit(reaction.messageId(), () -> {
            try {
                listener.onReaction(reaction);
            } catch (RuntimeException e) {
                LOG.error("Discord: handling a reaction on message {} failed", reaction.messageId(), e);
            }
        });
    }

    private void onMessage(MessageReceivedEvent event) {
        if (listener == null || stopped) return;
        if (!event.isFromGuild() || !inOurGuild(event.getGuild())) return;
        if (event.getAuthor().getIdLong() == event.getJDA().getSelfUser().getIdLong()) return;
        var message = event.getMessage();
        List<String> parts = new ArrayList<>();
        if (!message.getContentRaw().isBlank()) parts.add(message.getContentRaw());
        for (MessageEmbed embed : message.getEmbeds()) {
            if (embed.getTitle() != null) parts.add(embed.getTitle());
            if (embed.getDescription() != null) parts.add(embed.getDescription());
            embed.getFields().forEach(field -> parts.add(field.getName() + ": " + field.getValue()));
        }
        Inbound.ChannelMessage inbound = new Inbound.ChannelMessage(PLATFORM, event.getAuthor().getId(),
                event.getChannel().getId(), message.getId(), String.join("\n", parts));
        inOrder.submit(inbound.channelId(), () -> {
            try {
                listener.onMessage(inbound);
            } catch (RuntimeException e) {
                LOG.error("Discord: handling message {} failed", inbound.messageId(), e);
            }
        });
    }

    private void reconcileSoon(String why) {
        if (stopped) return;
        work.execute(() -> reconcile(why));
    }

    /** Tells the engine Discord is (re)connected, so votes given while disconnected count. */
    private void reconcile(String why) {
        InboundListener engine = listener;
        if (platform == null || engine == null || stopped) return;
        LOG.debug("Discord: catching up after {}", why);
        engine.onConnected(PLATFORM);
    }

    /** Connects to a fixed gateway address instead of asking Discord for one. */
    private static final class FixedGateway extends SessionControllerAdapter {
        private final String url;

        FixedGateway(String url) {
            this.url = url;
        }

        @Override
        public String getGateway() {
            return url;
        }
    }
}
