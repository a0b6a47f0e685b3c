package dev.firebreak.probe.chain;

import java.time.Duration;
import java.time.Instant;

/**
 * Seed 001's late execution, the one rule for everything that waits out a delay and must then be
 * executed (a timelock operation, a ManifestDispatcher commitment): late when the chain's time is
 * past {@code eta + grace + 300 s} ({@code block.timestamp > eta + grace + 300}) and it still has not run.
 */
public final class LateExecution {

    /** Seed 001's {@code alertThresholds.lateExecution}: 300 s past ETA and grace. */
    public static final Duration ALERT_AFTER = Duration.ofSeconds(300);

    private LateExecution() {}

    /** The last moment that is not yet late. */
    public static Instant deadline(Instant eta, Duration grace) {
        return eta.plus(grace).plus(ALERT_AFTER);
    }

    /** Whether {@code now} (the chain's time) is past the deadline of something not executed yet. */
    public static boolean late(Instant eta, Duration grace, Instant now) {
        return now.isAfter(deadline(eta, grace));
    }
}
