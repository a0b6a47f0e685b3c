package dev.firebreak.approval;

import java.time.Instant;

/** One approver's reaction, counted by person (resolved from an immutable platform id) and for one action hash. */
public record Vote(String person, String userId, Decision decision, String actionHash, Instant at) {

    public enum Decision { APPROVE, REJECT }
}
