package dev.firebreak.approval;

import java.util.Map;

/** {@code bot/approvals.yaml}. */
public record ApprovalsFile(Map<String, ApprovalPolicy> policies) {}
