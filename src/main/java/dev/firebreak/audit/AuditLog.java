package dev.firebreak.audit;

import java.util.List;
import java.util.Optional;

/** The append-only, tamper-evident record of every state change Firebreak makes. */
public interface AuditLog {

    void record(String actor, String event, String subject, String detail);

    List<AuditEntry> entries();

    /** The newest entry, whose hash covers every entry before it; empty when the log is empty. */
    Optional<AuditEntry> head();

    /** A description of the first row whose hash chain is broken, or empty when the log is intact. */
    Optional<String> firstTampered();
}
