package dev.firebreak.probe;

import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;

/** What a probe found: a status, a one-line summary for the timeline, and details for the channel. */
public record ProbeResult(Status status, String summary, Message details) {

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
