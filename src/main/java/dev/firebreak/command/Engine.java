package dev.firebreak.command;

import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.chat.Reply;
import dev.firebreak.kernel.OutboundText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The engine as the chat adapters see it, and no more than a router: commands go to the
 * dispatcher; reactions to the first feature that claims them (approvals, then pins); channel
 * messages and reconnects to every feature that listens. No exception reaches an adapter.
 */
public final class Engine implements InboundListener {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);

    /** Handles a reaction and says whether it was this feature's (an approval message, a pin). */
    @FunctionalInterface
    public interface ReactionHandler {
        boolean onReaction(Inbound.Reaction reaction);
    }

    @FunctionalInterface
    public interface MessageHandler {
        void onMessage(Inbound.ChannelMessage message);
    }

    /** Told when a platform has (re)connected, so a feature can catch up on what it missed. */
    @FunctionalInterface
    public interface ConnectionHandler {
        void onConnected(String platform);
    }

    private final CommandDispatcher commands;
    private final List<ReactionHandler> reactions;
    private final List<MessageHandler> messages;
    private final List<ConnectionHandler> connections;

    public Engine(CommandDispatcher commands, List<ReactionHandler> reactions, List<MessageHandler> messages,
                  List<ConnectionHandler> connections) {
        this.commands = commands;
        this.reactions = List.copyOf(reactions);
        this.messages = List.copyOf(messages);
        this.connections = List.copyOf(connections);
    }

    @Override
    public Reply onCommand(Inbound.Command command) {
        Reply reply = commands.fromChat(command.platform(), command.userId(), command.channelId(), command.text()).reply();
        return new Reply(reply.visibility(), OutboundText.clean(reply.message()));
    }

    @Override
    public void onReaction(Inbound.Reaction reaction) {
        try {
            for (ReactionHandler handler : reactions) {
                if (handler.onReaction(reaction)) return;
            }
        } catch (RuntimeException e) {
            log.error("Reaction handling failed on {} message {}", reaction.platform(), reaction.messageId(), e);
        }
    }

    @Override
    public void onMessage(Inbound.ChannelMessage message) {
        for (MessageHandler handler : messages) {
            try {
                handler.onMessage(message);
            } catch (RuntimeException e) {
                log.error("Message handling failed on {} in {}", message.platform(), message.channelId(), e);
            }
        }
    }

    @Override
    public void onConnected(String platform) {
        for (ConnectionHandler handler : connections) {
            try {
                handler.onConnected(platform);
            } catch (RuntimeException e) {
                log.error("Catching up after {} connected failed", platform, e);
            }
        }
    }
}
