package dev.firebreak.chat;

import java.util.List;

/** The engine, as the chat adapters see it. Adapters call these from their own threads. */
public interface InboundListener {

    /**
     * Runs a slash command to completion (slow work included) and returns the answer for the
     * person who typed it. Adapters acknowledge the platform first, then call this off the ack path.
     */
    Reply onCommand(Inbound.Command command);

    void onReaction(Inbound.Reaction reaction);

    void onMessage(Inbound.ChannelMessage message);

    /** Approval requests still waiting on this platform, so an adapter can re-read their reactions after a reconnect. */
    List<PendingApprovalMessage> pendingApprovalMessages(String platform);

    /** Brings the votes of one approval message in line with the reactions now on it (after a reconnect). */
    void reconcileReactions(String platform, String channelId, String messageId,
                            List<ChatPlatform.ReactionSnapshot> reactions);

    record PendingApprovalMessage(String channelId, String messageId) {}
}
