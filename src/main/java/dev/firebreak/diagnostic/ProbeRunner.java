package dev.firebreak.diagnostic;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a probe by name within a deadline, each on a virtual thread of its own. A probe that
 * cannot run, hangs or fails inside Firebreak is a result (ERROR), never an exception; only
 * arguments the probe refuses ({@link InvalidInput}) propagate, for the person who typed them.
 */
public final class ProbeRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeRunner.class);

    private final Map<String, Probe> probes;
    private final Duration deadline;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public ProbeRunner(Map<String, Probe> probes, Duration deadline) {
        this.probes = Map.copyOf(probes);
        this.deadline = deadline;
    }

    public ProbeResult run(String name, Map<String, String> args) {
        Probe probe = probes.get(name);
        if (probe == null) {
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe " + name + " is not available in this deployment");
        }
        Future<ProbeResult> future = threads.submit(() -> probe.run(args));
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return ProbeResult.of(ProbeResult.Status.ERROR, "no answer within " + deadline.toSeconds() + " s; the probe was abandoned");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidInput invalid) throw invalid;
            log.error("Probe {} failed", name, e.getCause());
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe failed inside Firebreak ("
                    + e.getCause().getClass().getSimpleName() + "); see the bot's log");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return ProbeResult.of(ProbeResult.Status.ERROR, "interrupted");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
