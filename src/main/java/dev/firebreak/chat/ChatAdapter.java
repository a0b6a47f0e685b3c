package dev.firebreak.chat;

/**
 * A connected chat platform: the outbound {@link ChatPlatform} the engine posts through, and the
 * inbound side that delivers commands, reactions and messages to the engine once started.
 * {@code Main} creates one per platform whose credentials are present.
 */
public interface ChatAdapter extends AutoCloseable {

    ChatPlatform platform();

    /** Connects and starts delivering inbound events to {@code listener}. */
    void start(InboundListener listener);

    /**
     * Stops taking inbound events (what is already running finishes) while posting keeps working,
     * so the engine can still deliver what it has queued before {@link #close}.
     */
    void stopReceiving();

    /** Stops receiving, if not yet, and disconnects. */
    @Override
    void close();
}
