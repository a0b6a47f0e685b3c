package dev.firebreak.approval;

/**
 * PENDING -> APPROVED -> EXECUTING -> SUCCEEDED | FAILED, or PENDING -> REJECTED | EXPIRED | CANCELLED;
 * APPROVED -> EXPIRED | CANCELLED when a restart came between approval and execution (or on /action cancel).
 * UNKNOWN: the process stopped while an action that cannot be safely repeated was running.
 */
public enum ApprovalState {
    PENDING, APPROVED, EXECUTING, SUCCEEDED, FAILED, REJECTED, EXPIRED, CANCELLED, UNKNOWN;
}
