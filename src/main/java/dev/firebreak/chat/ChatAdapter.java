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

    @Override
    void close();
}
