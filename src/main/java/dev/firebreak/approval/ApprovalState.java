package dev.firebreak.approval;

/**
 * PENDING -> APPROVED -> EXECUTING -> SUCCEEDED | FAILED, or PENDING -> REJECTED | EXPIRED.
 * UNKNOWN: the process stopped while an action that cannot be safely repeated was running.
 */
public enum ApprovalState {
    PENDING, APPROVED, EXECUTING, SUCCEEDED, FAILED, REJECTED, EXPIRED, UNKNOWN;

    public boolean finished() {
        return this != PENDING && this != APPROVED && this != EXECUTING;
    }
}
