package dev.firebreak.chat.discord;

import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.chat.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/** Stands in for the engine: records what the adapter delivers and answers commands with a function. */
final class RecordingListener implements InboundListener {

    record Reconciled(String channelId, String messageId, List<ChatPlatform.ReactionSnapshot> reactions) {}

    final List<Inbound.Command> commands = new CopyOnWriteArrayList<>();
    final List<Inbound.Reaction> reactions = new CopyOnWriteArrayList<>();
    final List<Inbound.ChannelMessage> messages = new CopyOnWriteArrayList<>();
    final List<Reconciled> reconciled = new CopyOnWriteArrayList<>();
    final List<PendingApprovalMessage> pending = new CopyOnWriteArrayList<>();
    volatile Function<Inbound.Command, Reply> answer = command -> Reply.privately("ok: " + command.text());

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
        reconciled.add(new Reconciled(channelId, messageId, snapshot));
    }

    /** Polls until {@code condition} holds (a network event under way), failing after {@code timeout}. */
    static void await(String what, Duration timeout, Supplier<Boolean> condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.get()) {
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
