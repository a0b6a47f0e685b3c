package dev.firebreak.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where the published updates and the queue of pushes to Statuspage are kept (implemented in the store). */
public interface StatusPageStore {

    /** Stores {@code update} (its id is assigned) and, when {@code push}, queues it for Statuspage, both in one transaction. */
    StatusUpdate add(StatusUpdate update, boolean push, Instant now);

    /** Every update of the incidents still active on the page, and of those with an update since {@code historyFrom}, in order. */
    List<StatusUpdate> forPage(Instant historyFrom);

    /** The updates published for one incident, oldest first. */
    List<StatusUpdate> ofIncident(long incidentNumber);

    /** A push waiting for Statuspage: the update and how often it was tried. */
    record Push(StatusUpdate update, int attempts) {}

    /** Pushes due at {@code now}, oldest update first; an incident's later updates wait behind its earlier ones. */
    List<Push> duePushes(Instant now);

    void pushed(long updateId, Instant at);

    void retryLater(long updateId, int attempts, Instant notBefore, String error);

    /** Statuspage refused it for good: kept with the reason, never tried again. */
    void refused(long updateId, String error);

    /** The incident's id on Statuspage, once its first update was pushed. */
    Optional<String> remoteIncident(long incidentNumber);

    void remoteIncident(long incidentNumber, String remoteId);
}
