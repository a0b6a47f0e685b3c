package dev.firebreak.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Work that must reach the store completely, each write once and in order (a result recorded,
 * posted and put on the timeline). When the store fails part-way with {@link StoreUnavailable},
 * the writes not yet done are kept here and {@link #finish()} does them once the store answers
 * again; nothing is done twice and nothing is dropped while the process runs.
 */
public final class UnfinishedWrites {

    private static final Logger log = LoggerFactory.getLogger(UnfinishedWrites.class);

    /** One write of a piece of work, named for the log. */
    public record Write(String what, Runnable write) {}

    private record Work(String name, List<Write> writes, int[] next) {}

    private final List<Work> kept = new ArrayList<>();

    /**
     * Does the writes in order. When the store fails, keeps the rest (the failed one first) for
     * {@link #finish()} and rethrows, so the caller can say what was and was not done.
     */
    public void run(String name, List<Write> writes) {
        Work work = new Work(name, List.copyOf(writes), new int[] {0});
        try {
            advance(work);
        } catch (StoreUnavailable e) {
            synchronized (kept) {
                kept.add(work);
            }
            log.warn("{}: the store failed at '{}'; the rest is done when it answers ({})", name,
                    work.writes().get(work.next()[0]).what(), e.reason());
            throw e;
        }
    }

    /** Does what was kept, oldest first, until the store fails again; returns how many pieces of work completed. */
    public int finish() {
        int completed = 0;
        synchronized (kept) {
            for (Iterator<Work> it = kept.iterator(); it.hasNext(); ) {
                Work work = it.next();
                try {
                    advance(work);
                } catch (StoreUnavailable e) {
                    return completed;
                }
                it.remove();
                completed++;
                log.info("{}: finished now that the store answers", work.name());
            }
        }
        return completed;
    }

    /** How many pieces of work wait for the store. */
    public int waiting() {
        synchronized (kept) {
            return kept.size();
        }
    }

    private static void advance(Work work) {
        while (work.next()[0] < work.writes().size()) {
            work.writes().get(work.next()[0]).write().run();
            work.next()[0]++;
        }
    }
}
