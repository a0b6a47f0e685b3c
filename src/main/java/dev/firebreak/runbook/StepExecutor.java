package dev.firebreak.runbook;

import dev.firebreak.command.Outcome;

/** Runs one command-line step of a runbook the way chat would, as the person who started the run. */
@FunctionalInterface
public interface StepExecutor {

    Outcome run(RunbookRun run, String commandLine);
}
