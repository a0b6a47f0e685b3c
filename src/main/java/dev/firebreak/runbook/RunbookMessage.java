package dev.firebreak.runbook;

import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.runbook.RunbookRun.StepStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The one message of a runbook run: the runbook, a line saying what the run does now or how it
 * ended, and a short table of its steps with each one's status. It stays short whatever the
 * runbook (each step a line of at most {@value #STEP_WIDTH} characters), so it fits one Slack or
 * Discord message; each step's output is in the message's thread.
 */
public final class RunbookMessage {

    static final int STEP_WIDTH = 56;

    private RunbookMessage() {}

    public static Message of(Runbook runbook, RunbookRun run) {
        List<List<String>> rows = new ArrayList<>();
        List<Runbook.Step> steps = runbook == null ? List.of() : runbook.steps();
        for (int i = 0; i < steps.size(); i++) {
            Runbook.Step step = steps.get(i);
            String text = step.kind().equals("run") ? RunbookRunner.fill(step.run(), run.params())
                    : step.kind() + ": " + RunbookRunner.fill(step.text(), run.params());
            rows.add(List.of(String.valueOf(i + 1), shorten(text, STEP_WIDTH), run.statusOf(i).word()));
        }
        String title = runbook == null ? run.runbook() : runbook.id() + ": " + runbook.title();
        return Message.builder()
                .heading(icon(run), "Runbook " + title + " (R-" + run.id() + ")")
                .paragraph(run.statusLine() == null ? "" : run.statusLine())
                .table(List.of("#", "step", "status"), rows)
                .note("Started by " + run.startedBy() + ". Each step's output is in this message's thread.")
                .build();
    }

    private static Icon icon(RunbookRun run) {
        return switch (run.state()) {
            case RUNNING -> Icon.RUNBOOK;
            case WAITING -> Icon.PAUSED;
            case HOLDING, HELD -> Icon.WAITING;
            case DONE -> run.steps().contains(StepStatus.CRITICAL) ? Icon.CRITICAL
                    : run.steps().contains(StepStatus.WARNING) ? Icon.WARNING : Icon.FINISHED;
            case STOPPED, ABANDONED -> Icon.STOPPED;
        };
    }

    /** {@code text} on one line, cut to {@code width} characters with an ellipsis. */
    static String shorten(String text, int width) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }
}
