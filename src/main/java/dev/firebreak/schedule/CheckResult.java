package dev.firebreak.schedule;

import dev.firebreak.kernel.Icon;

/** What one check of a scheduled run found: its position in the schedule, what it ran, its status and summary. */
public record CheckResult(int position, String label, Status status, String summary) {

    /** Fine, or how badly not; the order is the order the digest lists them in (worst first). */
    public enum Status {
        CRITICAL(Icon.CRITICAL), ERROR(Icon.ERROR), WARNING(Icon.WARNING), OK(Icon.OK);

        private final Icon icon;

        Status(Icon icon) {
            this.icon = icon;
        }

        public Icon icon() {
            return icon;
        }

        /** A diagnostic's status as {@code Outcome.Done} carries it; anything unknown is an error. */
        public static Status of(String status) {
            for (Status s : values()) {
                if (s.name().equalsIgnoreCase(status)) return s;
            }
            return ERROR;
        }
    }

    public boolean needsAttention() {
        return status != Status.OK;
    }
}
