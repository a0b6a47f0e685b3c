package dev.firebreak.chat;

import java.time.Duration;
import java.util.Optional;

/** A chat platform call failed. {@link #retryAfter()} is set when the platform asked us to slow down. */
public class ChatException extends RuntimeException {

    private final Duration retryAfter;
    private final boolean permanent;

    public ChatException(String message, Duration retryAfter, boolean permanent) {
        super(message);
        this.retryAfter = retryAfter;
        this.permanent = permanent;
    }

    public static ChatException rateLimited(Duration retryAfter) {
        return new ChatException("rate limited, retry after " + retryAfter.toMillis() + " ms", retryAfter, false);
    }

    /** A failure that retrying will not fix (401, 403, unknown channel). */
    public static ChatException permanent(String message) {
        return new ChatException(message, null, true);
    }

    public static ChatException transientFailure(String message) {
        return new ChatException(message, null, false);
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean permanent() {
        return permanent;
    }
}
