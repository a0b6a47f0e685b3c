package dev.firebreak.probe;

import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;

/**
 * What a probe found: a status, a one-line summary for the timeline, and details for the channel.
 * A probe that reads a range of blocks also says which range it read and what it found there, one
 * {@link Finding} per event ({@link #scan}), so a watcher can read each block once.
 */
public record ProbeResult(Status status, String summary, Message details, Scan scan) {

    public ProbeResult(Status status, String summary, Message details) {
        this(status, summary, details, null);
    }

    /**
     * The blocks a probe read and what it found there.
     *
     * @param from     the first block read
     * @param through  the last block read: the next read starts after it
     * @param skipped  blocks it left out before {@code from} because it was too far behind (its catch-up is bounded)
     * @param findings each event that is a finding, oldest first
     */
    public record Scan(long from, long through, long skipped, java.util.List<Finding> findings) {
        public Scan {
            findings = java.util.List.copyOf(findings);
        }
    }

    /**
     * One thing a scan found.
     *
     * @param id      stable for that thing (an event's transaction hash and log index), so it is raised once
     * @param status  WARNING or CRITICAL
     * @param summary the line people read first
     */
    public record Finding(String id, Status status, String summary) {}

    public enum Status {
        OK, WARNING, CRITICAL,
        /** The probe could not run: unreachable, timed out, refused. */
        ERROR;

        public Icon icon() {
            return switch (this) {
                case OK -> Icon.OK;
                case WARNING -> Icon.WARNING;
                case CRITICAL -> Icon.CRITICAL;
                case ERROR -> Icon.ERROR;
            };
        }
    }

    public static ProbeResult of(Status status, String summary) {
        return new ProbeResult(status, summary, new Message(java.util.List.of()));
    }

    /** The worse of two statuses, for probes that check several things. */
    public static Status worst(Status a, Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
