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

    /** How long {@link #stopReceiving} lets commands and events already running finish, their replies included. */
    java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(5);

    /**
     * Stops taking inbound events (what is already running finishes, for up to {@link #STOP_GRACE})
     * while posting keeps working, so the engine can still deliver what it has queued before {@link #close}.
     */
    void stopReceiving();

    /** Stops receiving, if not yet, and disconnects. */
    @Override
    void close();
}
