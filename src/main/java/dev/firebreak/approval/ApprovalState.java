package dev.firebreak.approval;

/**
 * PENDING -> APPROVED -> EXECUTING [-> SENT] -> SUCCEEDED | FAILED, or PENDING -> REJECTED | EXPIRED | CANCELLED;
 * APPROVED -> EXPIRED | CANCELLED when a restart came between approval and execution (or on /action cancel).
 * SENT: a chain transaction is broadcast and waits for its receipt (also across restarts).
 * UNKNOWN: the process stopped while an action that cannot be safely repeated was running.
 */
public enum ApprovalState {
    PENDING, APPROVED, EXECUTING, SENT, SUCCEEDED, FAILED, REJECTED, EXPIRED, CANCELLED, UNKNOWN;

    /** Approved and not yet finished: running, or sent and waiting for its receipt. */
    public boolean running() {
        return this == APPROVED || this == EXECUTING || this == SENT;
    }
}
