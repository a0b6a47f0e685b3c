package dev.firebreak.diagnostic;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one probe within its deadline: the timeout its target's configuration gives it
 * ({@link Probe#timeout}), a moment more so that the probe reports its own timeout first, and never
 * more than the engine's cap. A probe still running then is abandoned and is an ERROR result.
 */
public final class ProbeDeadline {

    /** The most any one diagnostic may take; {@code firebreak check} warns about a configured timeout above it. */
    public static final Duration CAP = Duration.ofSeconds(60);
    /** Time for a probe to report its own timeout before the engine gives up on it. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ProbeDeadline.class);

    private final Duration cap;
    private final ExecutorService threads;

    ProbeDeadline(Duration cap, ExecutorService threads) {
        this.cap = cap;
        this.threads = threads;
    }

    /** How long the engine waits for this probe with these arguments. */
    Duration of(Probe probe, Map<String, String> args) {
        Duration own = probe.timeout(args).plus(GRACE);
        return own.compareTo(cap) > 0 ? cap : own;
    }

    static String shown(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Runs the probe; bad input stays an {@link InvalidInput}, everything else is a result. */
    ProbeResult run(String name, Probe probe, Map<String, String> args) {
        return run(name, probe, args, () -> {});
    }

    /**
     * Like {@link #run(String, Probe, Map)}, and runs {@code meanwhile} on the calling thread while
     * the probe reads: once the probe has judged its arguments (so never for arguments it refuses,
     * nor when judging them failed or did not finish in time). When {@code meanwhile} throws, the
     * probe is abandoned and the exception propagates.
     */
    ProbeResult run(String name, Probe probe, Map<String, String> args, Runnable meanwhile) {
        Duration deadline = of(probe, args);
        long until = System.nanoTime() + deadline.toNanos();
        CompletableFuture<Void> judged = new CompletableFuture<>();
        Future<ProbeResult> future = threads.submit(() -> {
            Probe.Reading reading;
            try {
                reading = probe.prepare(args);
            } catch (RuntimeException e) {
                judged.completeExceptionally(e);
                throw e;
            }
            judged.complete(null);
            return reading.read();
        });
        try {
            if (accepted(judged, until)) {
                try {
                    meanwhile.run();
                } catch (RuntimeException e) {
                    future.cancel(true);
                    throw e;
                }
            }
            return future.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return ProbeResult.of(ProbeResult.Status.ERROR, "no answer within " + shown(deadline)
                    + (deadline.equals(cap) ? " (the most a diagnostic may take)" : "") + "; the probe was abandoned");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidInput invalid) throw invalid;
            log.error("Probe {} failed", name, e.getCause());
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe failed inside Firebreak ("
                    + e.getCause().getClass().getSimpleName() + "); see the bot's log");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return ProbeResult.of(ProbeResult.Status.ERROR, "interrupted");
        }
    }

    /** Whether the probe judged its arguments good before {@code until}; false when it refused them, failed or is still judging. */
    private static boolean accepted(CompletableFuture<Void> judged, long until) throws InterruptedException {
        try {
            judged.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
