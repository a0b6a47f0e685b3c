package dev.firebreak.runbook;

import java.util.List;
import java.util.Optional;

/** Stores runbook runs so a run waiting on an approval goes on after a restart. */
public interface RunbookRuns {

    RunbookRun create(RunbookRun run);

    void save(RunbookRun run);

    Optional<RunbookRun> find(long id);

    /** Runs in one of the given states, oldest first. */
    List<RunbookRun> inState(RunbookRun.State... states);
}
