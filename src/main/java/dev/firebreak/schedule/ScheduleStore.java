package dev.firebreak.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where schedules keep their place in time, their runs and their checklists (the store implements it). */
public interface ScheduleStore {

    /**
     * A schedule's place in time.
     *
     * @param lastSlot the newest slot it ran, or that it was first seen after (it does not run the
     *                 slot before it existed); null when it had never been due then
     */
    record State(String schedule, Instant lastSlot, boolean paused) {}

    Optional<State> state(String schedule);

    /** Records a schedule seen for the first time, starting after {@code baseline}; a state already there is kept. */
    void start(String schedule, Instant baseline, Instant at);

    /**
     * Moves the schedule from {@code expected} to {@code slot} if it is still at {@code expected}:
     * true for the one caller that claimed the slot (another process may have claimed it first).
     */
    boolean claim(String schedule, Instant expected, Instant slot, Instant at);

    /** Pauses or resumes; a resumed schedule goes on after {@code lastSlot}, not with the slots it was paused for. */
    void setPaused(String schedule, boolean paused, Instant lastSlot, String by, Instant at);

    /** Stores a run with its checks and checklist, and returns it with its id. */
    ScheduleRun add(ScheduleRun run, List<CheckResult> checks, List<String> checklist);

    Optional<ScheduleRun> latestRun(String schedule);

    List<CheckResult> checks(long runId);

    List<ChecklistItem> checklist(long runId);

    /** Ticks off an open item; false when it was already ticked off or does not exist. */
    boolean tick(long runId, int item, String by, Instant at);

    /** Notes that the owner was reminded; false when someone already did (so the reminder goes out once). */
    boolean markReminded(long runId, Instant at);

    /** Links a digest message (its outbox id) to its run, so a reaction on it finds the run. */
    void linkMessage(long outboxId, long runId);

    Optional<Long> runOfMessage(long outboxId);
}
