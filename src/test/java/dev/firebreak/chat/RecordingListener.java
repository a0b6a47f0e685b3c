package dev.firebreak.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Stands in for the engine behind a chat adapter: records everything delivered and answers
 * commands as told. On connect it reads the reactions on {@link #pending} messages through the
 * adapter's platform, as the engine's approval catch-up does.
 */
public final class RecordingListener implements InboundListener {

    public record PendingMessage(String channelId, String messageId) {}

    public record Reconciliation(String platform, String channelId, String messageId,
                                 List<ChatPlatform.ReactionSnapshot> reactions) {}

    public final List<Inbound.Command> commands = new CopyOnWriteArrayList<>();
    public final List<Inbound.Reaction> reactions = new CopyOnWriteArrayList<>();
    public final List<Inbound.ChannelMessage> messages = new CopyOnWriteArrayList<>();
    public final List<String> connected = new CopyOnWriteArrayList<>();
    public final List<Reconciliation> reconciliations = new CopyOnWriteArrayList<>();
    public final List<PendingMessage> pending = new CopyOnWriteArrayList<>();
    /** The platform to read reactions through on connect; tests set it to the adapter's. */
    public volatile ChatPlatform platform;
    /** How commands are answered; tests replace it. */
    public volatile Function<Inbound.Command, Reply> answer = c -> Reply.privately("done: " + c.text());

    public RecordingListener answering(Function<Inbound.Command, Reply> answer) {
        this.answer = answer;
        return this;
    }

    @Override
    public Reply onCommand(Inbound.Command command) {
        commands.add(command);
        return answer.apply(command);
    }

    @Override
    public void onReaction(Inbound.Reaction reaction) {
        reactions.add(reaction);
    }

    @Override
    public void onMessage(Inbound.ChannelMessage message) {
        messages.add(message);
    }

    @Override
    public void onConnected(String platformName) {
        connected.add(platformName);
        ChatPlatform reader = platform;
        if (reader == null) return;
        for (PendingMessage message : pending) {
            reconciliations.add(new Reconciliation(platformName, message.channelId(), message.messageId(),
                    reader.reactions(message.channelId(), message.messageId())));
        }
    }
}
