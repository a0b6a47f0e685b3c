package dev.firebreak.kernel;

/**
 * The store could not be read or written: the database is unreachable, locked, full or
 * read-only, or its schema is gone. Thrown by the store; whoever catches it tells people that
 * the store is unreachable and what was and was not done, never "something went wrong".
 * {@link #reason()} says what is wrong with the store, in words for an operator, without the
 * database URL or its credentials.
 */
public final class StoreUnavailable extends RuntimeException {

    private final String reason;
    private final String done;

    public StoreUnavailable(String reason, Throwable cause) {
        this(reason, null, cause);
    }

    private StoreUnavailable(String reason, String done, Throwable cause) {
        super("the store is unreachable (" + reason + ")" + (done == null ? "" : ": " + done), cause);
        this.reason = reason;
        this.done = done;
    }

    /** The same failure, saying what was and was not done, e.g. "no incident was declared and no channel created". */
    public StoreUnavailable after(String done) {
        return new StoreUnavailable(reason, done, this);
    }

    /** What was and was not done when the store failed, when whoever threw it knew. */
    public java.util.Optional<String> done() {
        return java.util.Optional.ofNullable(done);
    }

    /** What is wrong with the store, e.g. "the SQLite database is locked by another connection". */
    public String reason() {
        return reason;
    }

    /** The first {@code StoreUnavailable} in a chain of causes, if any. */
    public static java.util.Optional<StoreUnavailable> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreUnavailable unavailable) return java.util.Optional.of(unavailable);
        }
        return java.util.Optional.empty();
    }
}
