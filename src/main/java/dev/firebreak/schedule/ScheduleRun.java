package dev.firebreak.schedule;

import java.time.Instant;

/**
 * One run of a schedule, S-{@code id}.
 *
 * @param slot       the slot it ran for; null for a run a person started
 * @param trigger    why it ran, as people read it ("due 2026-12-02 09:00 Europe/Berlin", "run by alice")
 * @param summary    one line: how many checks need attention, how many are fine, how many items to do
 * @param output     the full output of every check, which {@code /schedule show} gives
 * @param remindedAt when its owner was reminded of its open checklist, once
 */
public record ScheduleRun(long id, String schedule, Instant slot, String trigger, Instant startedAt, String summary, String output,
                          Instant remindedAt) {

    public String ref() {
        return "S-" + id;
    }
}
