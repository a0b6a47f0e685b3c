package dev.firebreak.runbook;

import java.time.Instant;
import java.util.Map;

/** A runbook being walked: where it posts, its parameters, and the next step to run. */
public record RunbookRun(long id, String runbook, Long incidentNumber, String platform, String channelId, String startedBy,
                         Map<String, String> params, int nextStep, State state, Instant startedAt) {

    /**
     * WAITING: for an approval to be decided; HOLDING: for a person to confirm a step
     * ({@code /runbook continue}); HELD: stopped by a restart until a person continues or abandons
     * it; ABANDONED: a person ended it ({@code /runbook abandon}).
     */
    public enum State { RUNNING, WAITING, HOLDING, HELD, DONE, STOPPED, ABANDONED }

    public RunbookRun at(int step, State newState) {
        return new RunbookRun(id, runbook, incidentNumber, platform, channelId, startedBy, params, step, newState, startedAt);
    }
}
