package dev.firebreak.approval;

import java.time.Duration;
import java.util.List;

/**
 * How many distinct approvers an action class needs, who may approve, for how long the request
 * stays open, and which reactions approve and reject.
 */
public record ApprovalPolicy(String description, int threshold, List<String> approverRoles, Duration expiresAfter,
                             String approveEmoji, String rejectEmoji) {

    public ApprovalPolicy {
        approverRoles = approverRoles == null ? List.of() : List.copyOf(approverRoles);
    }
}
