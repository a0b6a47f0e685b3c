package dev.firebreak.runbook;

import dev.firebreak.kernel.Message;

/** Runs one command-line step of a runbook the way chat would, as the person who started the run. */
@FunctionalInterface
public interface StepExecutor {

    Outcome run(RunbookRun run, String commandLine);

    sealed interface Outcome permits Done, Waiting, Failed {}

    /** The step ran; {@code status} is the probe status (OK, WARNING, ...) or null for steps that are not diagnostics. */
    record Done(String summary, String status, Message details) implements Outcome {}

    /** The step is an action waiting for approval. */
    record Waiting(long approvalRequestId, String ref) implements Outcome {}

    /** The step could not run (bad arguments, no permission). */
    record Failed(String reason) implements Outcome {}
}
