package dev.firebreak.runbook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A runbook being walked: where it posts, its parameters, the next step to run, and what its one
 * message shows: the outbox id of that message, each step's status and the line saying what the run
 * is doing or how it ended.
 *
 * @param messageId  the outbox id of the run's message, which every change edits; null until posted
 * @param steps      each step's status, in order; empty for a run stored before runs had a message
 * @param statusLine what the run does now or how it ended, as its message says it
 */
public record RunbookRun(long id, String runbook, Long incidentNumber, String platform, String channelId, String startedBy,
                         Map<String, String> params, int nextStep, State state, Instant startedAt,
                         Long messageId, List<StepStatus> steps, String statusLine) {

    /**
     * WAITING: for an approval to be decided; HOLDING: for a person to confirm a step
     * ({@code /runbook continue}); HELD: stopped by a restart, or at a step its command refused, until a
     * person continues (the step runs again) or abandons it; ABANDONED: a person ended it ({@code /runbook abandon}).
     */
    public enum State { RUNNING, WAITING, HOLDING, HELD, DONE, STOPPED, ABANDONED }

    /** What became of one step, as the run's message shows it. */
    public enum StepStatus {
        PENDING, RUNNING, OK, WARNING, CRITICAL, FAILED, SKIPPED,
        /** A check item posted for a person: nobody has said it is done. */
        PERSON;

        public String word() {
            return this == PERSON ? "for a person" : this == CRITICAL ? "CRITICAL" : name().toLowerCase(Locale.ROOT);
        }
    }

    public RunbookRun {
        steps = steps == null ? List.of() : List.copyOf(steps);
    }

    public RunbookRun(long id, String runbook, Long incidentNumber, String platform, String channelId, String startedBy,
                      Map<String, String> params, int nextStep, State state, Instant startedAt) {
        this(id, runbook, incidentNumber, platform, channelId, startedBy, params, nextStep, state, startedAt, null, List.of(), null);
    }

    public RunbookRun at(int step, State newState) {
        return new RunbookRun(id, runbook, incidentNumber, platform, channelId, startedBy, params, step, newState, startedAt,
                messageId, steps, statusLine);
    }

    public RunbookRun withMessage(long outboxId) {
        return new RunbookRun(id, runbook, incidentNumber, platform, channelId, startedBy, params, nextStep, state, startedAt,
                outboxId, steps, statusLine);
    }

    /** This run with step {@code index} (0-based) at {@code status}; steps a run stored before did not track are pending. */
    public RunbookRun step(int index, StepStatus status, int stepCount) {
        List<StepStatus> changed = new ArrayList<>(steps);
        while (changed.size() < stepCount) changed.add(StepStatus.PENDING);
        changed.set(index, status);
        return new RunbookRun(id, runbook, incidentNumber, platform, channelId, startedBy, params, nextStep, state, startedAt,
                messageId, changed, statusLine);
    }

    /** This run with every step from {@code from} on that has not run marked skipped. */
    public RunbookRun skipFrom(int from, int stepCount) {
        RunbookRun run = this;
        for (int i = from; i < stepCount; i++) {
            StepStatus now = i < steps.size() ? steps.get(i) : StepStatus.PENDING;
            if (now == StepStatus.PENDING || now == StepStatus.RUNNING) run = run.step(i, StepStatus.SKIPPED, stepCount);
        }
        return run;
    }

    public RunbookRun saying(String line) {
        return new RunbookRun(id, runbook, incidentNumber, platform, channelId, startedBy, params, nextStep, state, startedAt,
                messageId, steps, line);
    }

    /** The status of step {@code index} (0-based). */
    public StepStatus statusOf(int index) {
        return index < steps.size() ? steps.get(index) : StepStatus.PENDING;
    }
}
