package dev.firebreak.bench;

import java.util.Arrays;
import java.util.Collection;

/** Percentiles of measured durations in nanoseconds, printed in milliseconds, for the benchmarks. */
public record Percentiles(long[] sortedNanos) {

    public static Percentiles of(Collection<Long> nanos) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Percentiles(sorted);
    }

    public static Percentiles of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted);
    }

    /** The nearest-rank percentile: the smallest value at or above {@code p} percent of the samples. */
    public double ms(double p) {
        if (sortedNanos.length == 0) return Double.NaN;
        int index = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
        return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, index))] / 1e6;
    }

    public double maxMs() {
        return sortedNanos.length == 0 ? Double.NaN : sortedNanos[sortedNanos.length - 1] / 1e6;
    }

    public int count() {
        return sortedNanos.length;
    }

    /** "p50 1.2 ms   p99 3.4 ms   max 5.6 ms" */
    public String summary() {
        return String.format("p50 %.1f ms   p99 %.1f ms   max %.1f ms", ms(50), ms(99), maxMs());
    }
}
