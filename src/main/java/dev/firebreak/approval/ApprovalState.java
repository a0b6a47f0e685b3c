package dev.firebreak.approval;

/**
 * PENDING -> APPROVED -> EXECUTING [-> SENT] -> SUCCEEDED | FAILED, or PENDING -> REJECTED | EXPIRED.
 * SENT: a chain transaction is broadcast and waits for its receipt (also across restarts).
 * UNKNOWN: the process stopped while an action that cannot be safely repeated was running.
 */
public enum ApprovalState {
    PENDING, APPROVED, EXECUTING, SENT, SUCCEEDED, FAILED, REJECTED, EXPIRED, UNKNOWN;

    /** Approved and not yet finished: running, or sent and waiting for its receipt. */
    public boolean running() {
        return this == APPROVED || this == EXECUTING || this == SENT;
    }
}
