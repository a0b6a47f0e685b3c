package dev.firebreak.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** Stands in for the engine behind a chat adapter: records everything delivered and answers commands as told. */
public final class RecordingListener implements InboundListener {

    public record Reconciliation(String platform, String channelId, String messageId,
                                 List<ChatPlatform.ReactionSnapshot> reactions) {}

    public final List<Inbound.Command> commands = new CopyOnWriteArrayList<>();
    public final List<Inbound.Command> completedCommands = new CopyOnWriteArrayList<>();
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
        Reply reply = answer.apply(command);
        completedCommands.add(command);
        return reply;
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

    /** Polls until {@code condition} holds (a network event under way), failing after {@code timeout}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
