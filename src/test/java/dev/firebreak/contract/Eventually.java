package dev.firebreak.contract;

import java.time.Duration;
import java.time.Instant;

/** Polls for a real event with a deadline: an assertion that must come true, or a condition to wait for. */
final class Eventually {

    static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 10;

    private Eventually() {}

    /** Runs the assertion until it passes; after the deadline, its last failure is thrown. */
    static void assertThat(Runnable assertion) {
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

    /** Waits until the condition holds; fails naming {@code what} after the deadline. */
    static void until(java.util.function.BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(DEADLINE);
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
