package dev.firebreak.oncall;

import java.time.Instant;
import java.util.List;

/** The overrides people set from chat ({@code /oncall override}), kept in the store. */
public interface OverrideStore {

    /** Someone covering a rotation from {@code from} until {@code until}, set by {@code setBy}. */
    record StoredOverride(long id, String rotation, String person, Instant from, Instant until, String setBy) {}

    StoredOverride add(String rotation, String person, Instant from, Instant until, String setBy);

    /** The overrides that have not ended at {@code at}, oldest first. */
    List<StoredOverride> endingAfter(Instant at);
}
