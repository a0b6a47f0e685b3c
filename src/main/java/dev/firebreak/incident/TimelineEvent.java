package dev.firebreak.incident;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of an incident's append-only timeline.
 *
 * @param actor   the person's key, or {@code firebreak} for the bot itself
 * @param source  where the event came from
 * @param details structured values (an approval's ref and hash, a diagnostic's status), for
 *                readers that need more than the text
 */
public record TimelineEvent(long incidentNumber, Instant at, String actor, Type type, Source source, String text,
                            Map<String, String> details) {

    public TimelineEvent {
        details = Map.copyOf(details);
    }

    /** What happened. Stored by {@link #stored()}; the audit log names it {@link #auditEvent()}. */
    public enum Type {
        DECLARED, UPDATE, STATUS, SEVERITY, ROLE, DIAGNOSTIC, COMMUNICATION, NOTE, REMINDER, RESOLVED,
        RUNBOOK,
        APPROVAL_REQUESTED, APPROVAL_VOTE, APPROVAL_DECIDED,
        ACTION,
        ALERT,
        /** The on-call person of the severity's rotation was notified (and paged where configured). */
        PAGED,
        /** Nobody acknowledged in time: the next escalation level was called. */
        ESCALATED,
        /** Someone acknowledged: escalation stops. */
        ACKNOWLEDGED;

        public String stored() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String auditEvent() {
            return switch (this) {
                case APPROVAL_REQUESTED -> "approval.requested";
                case APPROVAL_VOTE -> "approval.vote";
                case APPROVAL_DECIDED -> "approval.decided";
                case ACTION -> "action";
                case RUNBOOK -> "runbook";
                case PAGED -> "oncall.paged";
                case ESCALATED -> "oncall.escalated";
                case ACKNOWLEDGED -> "oncall.acknowledged";
                default -> "incident." + stored();
            };
        }

        /** The type a stored kind names; rows written before types were split read as their nearest type. */
        public static Type fromStored(String kind) {
            return switch (kind) {
                case "approval" -> APPROVAL_VOTE;
                case "command" -> NOTE;
                default -> {
                    try {
                        yield valueOf(kind.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        yield NOTE;
                    }
                }
            };
        }
    }

    /** Who or what made the event happen. */
    public enum Source {
        /** A person in chat. */
        PERSON,
        /** A step of a runbook run. */
        RUNBOOK,
        /** The approval gate: votes, decisions, the action it ran. */
        APPROVALS,
        /** The clock: reminders, expiry, escalation. */
        CLOCK,
        /** Alert intake: Alertmanager, messages in the alerts channel, watchers. */
        ALERTS,
        /** The first diagnostic snapshot a declaration sets off. */
        SNAPSHOT,
        /** A webhook from outside, such as PagerDuty's. */
        WEBHOOK;

        public String stored() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Source fromStored(String value) {
            return value == null ? PERSON : valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
