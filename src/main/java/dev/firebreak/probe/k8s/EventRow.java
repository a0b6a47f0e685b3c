package dev.firebreak.probe.k8s;

import io.fabric8.kubernetes.api.model.Event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as {@code kubectl events} shows it. A repeated event reads {@code 15s (x57 over 60m)}:
 * when it was last seen, how often, since its first occurrence (from its series when it has one,
 * else from {@code count} and {@code lastTimestamp}); a single one shows when it happened.
 *
 * @param lastSeen when it last happened, for sorting (null when the event carries no time)
 */
record EventRow(Instant lastSeen, String age, String type, String reason, String object, String message) {

    static EventRow of(Event event, Clock clock) {
        Instant eventTime = event.getEventTime() == null ? null : Ages.parse(event.getEventTime().getTime());
        Instant first = eventTime != null ? eventTime : Ages.parse(event.getFirstTimestamp());
        Instant last;
        int count;
        if (event.getSeries() != null) {
            last = event.getSeries().getLastObservedTime() == null ? null : Ages.parse(event.getSeries().getLastObservedTime().getTime());
            count = event.getSeries().getCount() == null ? 0 : event.getSeries().getCount();
        } else {
            last = Ages.parse(event.getLastTimestamp());
            count = event.getCount() == null ? 0 : event.getCount();
        }
        String firstAge = since(first, clock);
        String age = event.getSeries() != null || count > 1
                ? since(last, clock) + " (x" + count + " over " + firstAge + ")"
                : firstAge;
        Instant sortTime = last != null ? last : eventTime;
        String object = event.getInvolvedObject() == null ? ""
                : Objects.toString(event.getInvolvedObject().getKind(), "") + "/" + Objects.toString(event.getInvolvedObject().getName(), "");
        return new EventRow(sortTime != null ? sortTime : first, age, Objects.toString(event.getType(), ""),
                Objects.toString(event.getReason(), ""), object, LogRedactor.redact(Objects.toString(event.getMessage(), "").strip()));
    }

    private static String since(Instant at, Clock clock) {
        return at == null ? "<unknown>" : Ages.format(Duration.between(at, clock.instant()));
    }
}
