package dev.firebreak.runbook;

import java.util.List;

/** One file in {@code runbooks/}: the runbooks of one system, e.g. the StateSet sequencer (seed 004). */
public record RunbookPack(String system, String source, List<Runbook> runbooks) {

    public RunbookPack {
        runbooks = runbooks == null ? List.of() : List.copyOf(runbooks);
    }
}
