package dev.firebreak.approval;

import java.time.Instant;

/**
 * A request to run one exact action, bound to the hash of its canonical form.
 *
 * @param outboxId     the approval message in the outbox; reactions on it are votes
 * @param runbookRunId the runbook run waiting on this approval, or null
 * @param executionKey what the action's target records to recognise this execution; unique across
 *                     stores and time ({@link ExecutionKeys#forRequest})
 */
public record ApprovalRequest(long id, Long incidentNumber, String action, String actionHash, String canonicalJson,
                              String preview, String policy, String requestedBy, String platform, String channelId,
                              Long outboxId, Long runbookRunId, ApprovalState state, Instant createdAt,
                              Instant expiresAt, Instant decidedAt, String result, String executionKey) {

    public String ref() {
        return "A-" + id;
    }

    public String shortHash() {
        return actionHash.substring(0, 12);
    }
}
