package dev.firebreak.audit;

/** One audit row as stored, with the hash chain fields. */
public record AuditEntry(long seq, String at, String actor, String event, String subject, String detail,
                         String prevHash, String hash) {}
