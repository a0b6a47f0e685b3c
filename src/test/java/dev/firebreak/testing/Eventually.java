package dev.firebreak.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Polls for a real event with a deadline (a message reaching a fake server, a receipt on anvil):
 * an assertion that must come true, or a condition to wait for. Never a way to wait for time:
 * clock-driven behaviour gets an injected clock.
 */
public final class Eventually {

    public static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 10;

    private Eventually() {}

    /** Runs the assertion until it passes; after the deadline, its last failure is thrown. */
    public static void assertThat(Runnable assertion) {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (Instant.now().isAfter(deadline)) throw e;
            }
            pause();
        }
    }

    /** Waits until the condition holds; fails naming {@code what} after {@link #DEADLINE}. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, DEADLINE, what);
    }

    /** Waits until the condition holds; fails naming {@code what} after {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out waiting " + what);
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
