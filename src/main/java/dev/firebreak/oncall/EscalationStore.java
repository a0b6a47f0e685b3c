package dev.firebreak.oncall;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each notified incident's escalation, kept in the store so a restart neither repeats nor loses a level. */
public interface EscalationStore {

    /**
     * @param level      the level reached (1: the on-call person was notified)
     * @param levelSince when it was reached; the next level is due a level's delay later
     * @param notified   the people notified so far, who may acknowledge
     */
    record Escalation(long incident, String rotation, int level, Instant levelSince, List<String> notified,
                      Instant acknowledgedAt, String acknowledgedBy) {

        public Escalation {
            notified = List.copyOf(notified);
        }

        public boolean acknowledged() {
            return acknowledgedAt != null;
        }
    }

    /** Starts an incident's escalation at level 1; false when it was started already (nothing changes). */
    boolean start(long incident, String rotation, List<String> notified, Instant at);

    Optional<Escalation> find(long incident);

    List<Escalation> unacknowledged();

    /** Moves from {@code fromLevel} to the next; false when another round or process moved it first, or it was acknowledged. */
    boolean advance(long incident, int fromLevel, Instant since, List<String> notified);

    /** Records the acknowledgement; false when it was acknowledged already. */
    boolean acknowledge(long incident, String by, Instant at);
}
