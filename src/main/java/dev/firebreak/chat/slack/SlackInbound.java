package dev.firebreak.chat.slack;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.model.Attachment;
import com.slack.api.model.event.MessageBotEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.ReactionAddedEvent;
import com.slack.api.model.event.ReactionRemovedEvent;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.chat.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Turns Bolt requests into neutral {@link Inbound} events for the engine. Every slash command of
 * the catalogue is routed; each is acknowledged at once and run on the work executor (virtual
 * threads), so Slack's 3-second limit holds whatever the command does; the answer follows as an
 * ephemeral reply.
 */
final class SlackInbound {

    private static final Logger log = LoggerFactory.getLogger(SlackInbound.class);

    private static final Set<String> CHANNEL_TYPES = Set.of("channel", "group");

    private final CommandCatalog commands;
    private final InboundListener listener;
    private final SlackPlatform platform;
    private final CommandReplies replies;
    private final ExecutorService work;
    private final ExecutorService events;
    private final DuplicateDeliveryFilter deliveries;

    /**
     * @param work   runs commands, one virtual thread each
     * @param events delivers reactions and messages one at a time, in arrival order, so an
     *               approval added then withdrawn reaches the engine in that order
     * @param deliveries what was delivered before: checked on those threads, after the ack, so a
     *                   replay runs nothing and the ack never waits for the store
     */
    SlackInbound(CommandCatalog commands, InboundListener listener, SlackPlatform platform, CommandReplies replies,
                 ExecutorService work, ExecutorService events, DuplicateDeliveryFilter deliveries) {
        this.commands = commands;
        this.listener = listener;
        this.platform = platform;
        this.replies = replies;
        this.work = work;
        this.events = events;
        this.deliveries = deliveries;
    }

    void registerOn(App app) {
        for (String command : commands.names()) {
            app.command("/" + command, (req, ctx) -> {
                accept(req, req.getPayload());
                return ctx.ack();
            });
        }
        app.event(ReactionAddedEvent.class, (payload, ctx) -> {
            ReactionAddedEvent e = payload.getEvent();
            reaction(payload, e.getUser(), e.getItem().getChannel(), e.getItem().getTs(), e.getReaction(), true);
            return ctx.ack();
        });
        app.event(ReactionRemovedEvent.class, (payload, ctx) -> {
            ReactionRemovedEvent e = payload.getEvent();
            reaction(payload, e.getUser(), e.getItem().getChannel(), e.getItem().getTs(), e.getReaction(), false);
            return ctx.ack();
        });
        app.event(MessageEvent.class, (payload, ctx) -> {
            MessageEvent e = payload.getEvent();
            if (e.getBotId() == null && e.getUser() != null && CHANNEL_TYPES.contains(e.getChannelType())
                    && !e.getUser().equals(platform.identity().userId())) {
                message(payload.getEventId(), new Inbound.ChannelMessage("slack", e.getUser(), e.getChannel(), e.getTs(), e.getText() == null ? "" : e.getText()));
            }
            return ctx.ack();
        });
        // other apps' messages (monitors posting alerts), by their bot id; never our own
        app.event(MessageBotEvent.class, (payload, ctx) -> {
            MessageBotEvent e = payload.getEvent();
            if (e.getBotId() != null && !e.getBotId().equals(platform.identity().botId()) && CHANNEL_TYPES.contains(e.getChannelType())) {
                List<String> parts = new java.util.ArrayList<>();
                if (e.getText() != null && !e.getText().isBlank()) parts.add(e.getText());
                if (e.getAttachments() != null) {
                    for (Attachment attachment : e.getAttachments()) {
                        if (attachment.getTitle() != null) parts.add(attachment.getTitle());
                        if (attachment.getText() != null) parts.add(attachment.getText());
                        else if (attachment.getFallback() != null) parts.add(attachment.getFallback());
                    }
                }
                message(payload.getEventId(), new Inbound.ChannelMessage("slack", e.getBotId(), e.getChannel(), e.getTs(), String.join("\n", parts)));
            }
            return ctx.ack();
        });
    }

    private void message(String eventId, Inbound.ChannelMessage message) {
        events.execute(() -> deliveries.onceForEvent(eventId, () -> {
            try {
                listener.onMessage(message);
            } catch (RuntimeException ex) {
                log.error("Handling a Slack message in {} failed", message.channelId(), ex);
            }
        }));
    }

    private void accept(SlashCommandRequest request, SlashCommandPayload payload) {
        String text = payload.getText() == null ? "" : payload.getText().trim();
        Inbound.Command command = new Inbound.Command("slack", payload.getUserId(), payload.getChannelId(),
                text.isEmpty() ? payload.getCommand() : payload.getCommand() + " " + text);
        String responseUrl = payload.getResponseUrl();
        work.execute(() -> deliveries.once(request, () -> {
            Reply reply;
            try {
                reply = listener.onCommand(command);
            } catch (RuntimeException e) {
                log.error("Command {} from {} failed", payload.getCommand(), command.userId(), e);
                reply = Reply.privately(payload.getCommand() + " failed with an internal error ("
                        + e.getClass().getSimpleName() + "); the details are in the bot's log.");
            }
            if (reply != null) replies.send(responseUrl, command.channelId(), command.userId(), reply);
        }));
    }

    private void reaction(com.slack.api.app_backend.events.payload.EventsApiPayload<?> payload, String user, String channel, String ts, String emoji, boolean added) {
        if (user == null || channel == null || ts == null || user.equals(platform.identity().userId())) return;
        Inbound.Reaction reaction = new Inbound.Reaction("slack", user, channel, ts,
                SlackPlatform.emojiName(emoji), added);
        events.execute(() -> deliveries.onceForEvent(payload.getEventId(), () -> {
            try {
                listener.onReaction(reaction);
            } catch (RuntimeException e) {
                log.error("Handling a Slack reaction on {} failed", ts, e);
            }
        }));
    }
}
