package dev.firebreak.chat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Stands in for the engine behind a chat adapter: records everything delivered and answers commands as told. */
public final class RecordingListener implements InboundListener {

    public record Reconciliation(String platform, String channelId, String messageId,
                                 List<ChatPlatform.ReactionSnapshot> reactions) {}

    public final List<Inbound.Command> commands = new CopyOnWriteArrayList<>();
    public final List<Inbound.Reaction> reactions = new CopyOnWriteArrayList<>();
    public final List<Inbound.ChannelMessage> messages = new CopyOnWriteArrayList<>();
    public final List<Reconciliation> reconciliations = new CopyOnWriteArrayList<>();
    public final List<PendingApprovalMessage> pending = new CopyOnWriteArrayList<>();
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
    public List<PendingApprovalMessage> pendingApprovalMessages(String platform) {
        return List.copyOf(pending);
    }

    @Override
    public void reconcileReactions(String platform, String channelId, String messageId,
                                   List<ChatPlatform.ReactionSnapshot> snapshot) {
        reconciliations.add(new Reconciliation(platform, channelId, messageId, snapshot));
    }
}
