package dev.firebreak.diagnostic;

import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a probe by name within its deadline ({@link ProbeDeadline}), each on a virtual thread of its own. A probe that
 * cannot run, hangs or fails inside Firebreak is a result (ERROR), never an exception; only
 * arguments the probe refuses ({@link InvalidInput}) propagate, for the person who typed them.
 */
public final class ProbeRunner implements AutoCloseable {

    private final Map<String, Probe> probes;
    private final MeterRegistry metrics;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final ProbeDeadline deadline;

    /** Never waits longer than {@code cap} for a probe; counts every result in {@code metrics} ({@code firebreak.probes}, by family and outcome), each series present from the start. */
    public ProbeRunner(Map<String, Probe> probes, Duration cap, MeterRegistry metrics) {
        this.probes = Map.copyOf(probes);
        this.deadline = new ProbeDeadline(cap, threads);
        this.metrics = metrics;
        probes.keySet().stream().map(ProbeRunner::family).distinct()
                .forEach(family -> { for (ProbeResult.Status status : ProbeResult.Status.values()) counter(family, status); });
    }

    /** The family of a probe is the part of its name before the first dot: chain, k8s, http, sql. */
    static String family(String probe) {
        int dot = probe.indexOf('.');
        return dot < 0 ? probe : probe.substring(0, dot);
    }

    private Counter counter(String family, ProbeResult.Status status) {
        return Counter.builder("firebreak.probes")
                .description("Probes run (by /diag, runbook steps and first snapshots), by probe family and result: ok, warning, "
                        + "critical, or error when the probe could not run (unreachable, timed out, failed)")
                .tag("family", family)
                .tag("outcome", status.name().toLowerCase(Locale.ROOT))
                .register(metrics);
    }

    public ProbeResult run(String name, Map<String, String> args) {
        return run(name, args, () -> {});
    }

    /**
     * Runs the probe, and {@code meanwhile} on the calling thread while it reads, once it has
     * accepted its arguments ({@link ProbeDeadline#run(String, Probe, Map, Runnable)}): what a
     * command writes and reads in the store then waits for nobody. {@code meanwhile} does not run
     * when the probe refuses its arguments, is not available, or did not get as far as reading.
     */
    public ProbeResult run(String name, Map<String, String> args, Runnable meanwhile) {
        ProbeResult result = runWithin(name, args, meanwhile);
        counter(family(name), result.status()).increment();
        return result;
    }

    private ProbeResult runWithin(String name, Map<String, String> args, Runnable meanwhile) {
        Probe probe = probes.get(name);
        if (probe == null) {
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe " + name + " is not available in this deployment");
        }
        return deadline.run(name, probe, args, meanwhile);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
