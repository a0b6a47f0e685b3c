package dev.firebreak.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Approval requests and their votes. State changes are compare-and-set, so each happens once. */
public interface ApprovalRepository {

    /** Stores a new request with its id and its execution key ({@link ExecutionKeys#forRequest}). */
    ApprovalRequest create(NewRequest request);

    Optional<ApprovalRequest> find(long id);

    Optional<ApprovalRequest> findByOutboxId(long outboxId);

    /** Requests in one of the given states, oldest first. */
    List<ApprovalRequest> inState(ApprovalState... states);

    /** Records or replaces a person's vote. */
    void putVote(long requestId, Vote vote);

    void removeVote(long requestId, String person);

    List<Vote> votes(long requestId);

    /** Moves the request from {@code from} to {@code to}; false when it was not in {@code from} (someone else won). */
    boolean transition(long requestId, ApprovalState from, ApprovalState to, Instant at, String result);

    /**
     * Records what the execution of the request waits for from others and until when, while it is
     * EXECUTING; writes only when that differs from what is stored. True when it wrote.
     */
    boolean waitingOn(long requestId, String what, Instant until);

    /** What each EXECUTING request's execution waits for from others, as last recorded, by request id. */
    java.util.Map<Long, ApprovalService.OnOthers> waitingOnOthers();

    record NewRequest(Long incidentNumber, String action, String actionHash, String canonicalJson, String preview,
                      String policy, String requestedBy, String platform, String channelId, Long runbookRunId,
                      Instant createdAt, Instant expiresAt) {}

    /** Links the request to its approval message once that is queued. */
    void attachMessage(long requestId, long outboxId);
}
