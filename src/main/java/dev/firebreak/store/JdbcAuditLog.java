package dev.firebreak.store;

import dev.firebreak.audit.AuditEntry;
import dev.firebreak.audit.AuditLog;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import dev.firebreak.kernel.Redactor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The audit log: append-only and hash-chained. Each row's hash is SHA-256 over the previous
 * row's hash and this row's fields, so editing or deleting a row breaks every hash after it.
 * Secrets are masked before a row is written.
 */
public final class JdbcAuditLog implements AuditLog {

    static final String GENESIS = "0".repeat(64);
    private static final int APPEND_ATTEMPTS = 10;

    private final Database db;
    private final Clock clock;

    public JdbcAuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Appends a row after the newest one, in one transaction. Its seq is the position in the chain
     * (the newest seq + 1), so two writers racing for the same position cannot both commit: on
     * PostgreSQL the second fails on the primary key and appends again after the row that won; on
     * SQLite writers are serialised from the start of the transaction and never race.
     */
    @Override
    public synchronized void record(String actor, String event, String rawSubject, String rawDetail) {
        String subject = Redactor.redact(rawSubject);
        String detail = Redactor.redact(rawDetail);
        String at = Times.format(clock.instant());
        for (int attempt = 1; ; attempt++) {
            try {
                db.jdbi().useTransaction(h -> append(h, at, actor, event, subject, detail));
                return;
            } catch (UnableToExecuteStatementException e) {
                if (attempt == APPEND_ATTEMPTS || !Database.isUniqueViolation(e)) throw e;
            }
        }
    }

    private static void append(Handle h, String at, String actor, String event, String subject, String detail) {
        record Newest(long seq, String hash) {}
        Newest newest = h.createQuery("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> new Newest(rs.getLong(1), rs.getString(2))).findOne().orElse(new Newest(0, GENESIS));
        long seq = newest.seq() + 1;
        String hash = hash(newest.hash(), seq, at, actor, event, subject, detail);
        h.createUpdate("INSERT INTO audit_log (seq, at, actor, event, subject, detail, prev_hash, hash) "
                        + "VALUES (:seq, :at, :actor, :event, :subject, :detail, :prev, :hash)")
                .bind("seq", seq).bind("at", at).bind("actor", actor).bind("event", event)
                .bind("subject", subject).bind("detail", detail).bind("prev", newest.hash()).bind("hash", hash).execute();
    }

    @Override
    public List<AuditEntry> entries() {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT seq, at, actor, event, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq")
                .map((rs, ctx) -> new AuditEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)))
                .list());
    }

    @Override
    public Optional<AuditEntry> head() {
        return db.jdbi().withHandle(h -> h.createQuery(
                        "SELECT seq, at, actor, event, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .map((rs, ctx) -> new AuditEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)))
                .findOne());
    }

    /**
     * A description of how the log no longer reaches {@code expectedHead} (the hash of an entry
     * posted earlier, e.g. at an incident's close), or empty when an entry with that hash is in the
     * intact chain. Deleting the newest entries, or all of them, is caught this way; the chain alone
     * cannot tell.
     */
    public Optional<String> missingHead(String expectedHead) {
        String wanted = expectedHead.strip().toLowerCase(java.util.Locale.ROOT);
        Optional<String> tampered = firstTampered();
        if (tampered.isPresent()) return tampered;
        List<AuditEntry> entries = entries();
        if (entries.stream().anyMatch(e -> e.hash().equals(wanted))) return Optional.empty();
        return Optional.of("the expected head " + wanted + " is not in the log, which now has " + entries.size()
                + " entries" + (entries.isEmpty() ? "" : " ending at entry " + entries.getLast().seq() + " (hash "
                + entries.getLast().hash() + ")") + ": entries were removed (truncated) or the log was rewritten");
    }

    @Override
    public Optional<String> firstTampered() {
        String prev = GENESIS;
        for (AuditEntry e : entries()) {
            if (!e.prevHash().equals(prev)) {
                return Optional.of("row " + e.seq() + ": its previous-hash does not match row before it (a row was removed or reordered)");
            }
            String expected = hash(prev, e.seq(), e.at(), e.actor(), e.event(), e.subject(), e.detail());
            if (!expected.equals(e.hash())) {
                return Optional.of("row " + e.seq() + ": its contents do not match its hash (the row was edited)");
            }
            prev = e.hash();
        }
        return Optional.empty();
    }

    static String hash(String prev, long seq, String at, String actor, String event, String subject, String detail) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {prev, Long.toString(seq), at, actor, event, subject, detail}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) ':');
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
