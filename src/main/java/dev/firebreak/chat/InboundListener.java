package dev.firebreak.chat;

/** The engine, as the chat adapters see it. Adapters call these from their own threads. */
public interface InboundListener {

    /**
     * Runs a slash command to completion (slow work included) and returns the answer for the
     * person who typed it. Adapters acknowledge the platform first, then call this off the ack path.
     */
    Reply onCommand(Inbound.Command command);

    void onReaction(Inbound.Reaction reaction);

    void onMessage(Inbound.ChannelMessage message);

    /**
     * The platform has connected or reconnected: events may have been missed while it was away,
     * so the engine re-reads what it needs (the reactions on pending approval messages).
     */
    void onConnected(String platform);
}
