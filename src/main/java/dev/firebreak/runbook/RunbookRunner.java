package dev.firebreak.runbook;

import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.kernel.InvalidInput;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks a runbook's steps, posting each result; it stops at an action that needs approval until
 * that is decided, and at a confirm step until a person says it is done. The run's position is
 * stored, so it goes on after a restart.
 */
public final class RunbookRunner {

    private static final Pattern PARAM = Pattern.compile("\\{\\{\\s*([a-zA-Z0-9_]+)\\s*}}");

    private final RunbookRuns runs;
    private final Outbox outbox;
    private final Clock clock;
    private final StepExecutor executor;
    private final BiFunction<RunbookRun, String, String> templateRenderer;
    private final Map<String, Runbook> runbooks;

    /**
     * @param templateRenderer renders a message template for a run (its incident's values)
     */
    public RunbookRunner(RunbookRuns runs, Outbox outbox, Clock clock, StepExecutor executor,
                         BiFunction<RunbookRun, String, String> templateRenderer, Map<String, Runbook> runbooks) {
        this.runs = runs;
        this.outbox = outbox;
        this.clock = clock;
        this.executor = executor;
        this.templateRenderer = templateRenderer;
        this.runbooks = Map.copyOf(runbooks);
    }

    public RunbookRun start(Runbook runbook, Map<String, String> params, Long incident, String platform, String channelId,
                            String person) {
        RunbookRun run = runs.create(new RunbookRun(0, runbook.id(), incident, platform, channelId, person, params, 0,
                RunbookRun.State.RUNNING, clock.instant()));
        post(run, Message.builder().heading(":book: Running runbook " + runbook.id() + ": " + runbook.title())
                .paragraph(runbook.steps().size() + " steps, started by " + person + " (run R-" + run.id() + ")").build());
        return advance(run);
    }

    /** Goes on after the approval a run was waiting on was decided. */
    public void resume(long runId, boolean actionSucceeded, String outcome) {
        runs.find(runId).filter(r -> r.state() == RunbookRun.State.WAITING).ifPresent(run -> {
            if (!actionSucceeded) {
                runs.save(run.at(run.nextStep(), RunbookRun.State.STOPPED));
                post(run, Message.text(":octagonal_sign: Runbook " + run.runbook() + " (R-" + run.id() + ") stopped: the action "
                        + "before step " + (run.nextStep() + 1) + " " + outcome + "."));
                return;
            }
            advance(run.at(run.nextStep(), RunbookRun.State.RUNNING));
        });
    }

    /**
     * Goes on after a confirm step, when {@code person} says it is done. Throws
     * {@link InvalidInput} when the run does not exist or is not holding for a person. One at a
     * time: when two people confirm at once, the second finds the run no longer holding.
     */
    public synchronized RunbookRun proceed(long runId, String person) {
        RunbookRun run = runs.find(runId).orElseThrow(() -> new InvalidInput("There is no runbook run R-" + runId + "."));
        if (run.state() != RunbookRun.State.HOLDING) {
            throw new InvalidInput("R-" + runId + " (" + run.runbook() + ") is " + run.state().name().toLowerCase(Locale.ROOT)
                    + ", not waiting for a person; nothing to continue.");
        }
        post(run, Message.text(":ballot_box_with_check: " + person + " confirmed step " + run.nextStep() + " of R-" + run.id()
                + "; going on."));
        return advance(run.at(run.nextStep(), RunbookRun.State.RUNNING));
    }

    private RunbookRun advance(RunbookRun run) {
        Runbook runbook = runbooks.get(run.runbook());
        List<Runbook.Step> steps = runbook.steps();
        for (int i = run.nextStep(); i < steps.size(); i++) {
            Runbook.Step step = steps.get(i);
            String label = "Step " + (i + 1) + "/" + steps.size();
            switch (step.kind()) {
                case "check" -> post(run, Message.text(":ballot_box_with_check: " + label + " (for a person): "
                        + fill(step.check(), run.params())));
                case "confirm" -> {
                    RunbookRun holding = run.at(i + 1, RunbookRun.State.HOLDING);
                    runs.save(holding);
                    post(run, Message.text(":raised_hand: " + label + " waits for a person: " + fill(step.confirm(), run.params())
                            + "\nWhen it is done: `/runbook continue R-" + run.id() + "`"));
                    return holding;
                }
                case "note" -> post(run, Message.text(":information_source: " + label + ": " + fill(step.note(), run.params())));
                case "message" -> post(run, Message.builder().paragraph(":loudspeaker: " + label + ": template "
                        + step.message()).preformatted(templateRenderer.apply(run, step.message())).build());
                default -> {
                    String line = fill(step.run(), run.params());
                    StepExecutor.Outcome outcome = executor.run(run, line);
                    switch (outcome) {
                        case StepExecutor.Done done -> {
                            List<String> fine = step.expect() == null ? List.of("ok") : step.expect();
                            boolean ok = done.status() == null || fine.contains(done.status().toLowerCase(Locale.ROOT));
                            post(run, Message.builder().paragraph((ok ? ":white_check_mark: " : ":warning: ") + label + " `"
                                    + line + "`: " + done.summary()).append(done.details()).build());
                        }
                        case StepExecutor.Waiting waiting -> {
                            RunbookRun waitingRun = run.at(i + 1, RunbookRun.State.WAITING);
                            runs.save(waitingRun);
                            post(run, Message.text(":pause_button: " + label + " `" + line + "` waits for approval "
                                    + waiting.ref() + "; the runbook goes on when it has run."));
                            return waitingRun;
                        }
                        case StepExecutor.Failed failed -> {
                            RunbookRun stopped = run.at(i, RunbookRun.State.STOPPED);
                            runs.save(stopped);
                            post(run, Message.text(":octagonal_sign: " + label + " `" + line + "` could not run: "
                                    + failed.reason() + " Runbook stopped."));
                            return stopped;
                        }
                    }
                }
            }
        }
        RunbookRun done = run.at(steps.size(), RunbookRun.State.DONE);
        runs.save(done);
        post(run, Message.text(":checkered_flag: Runbook " + run.runbook() + " (R-" + run.id() + ") finished."));
        return done;
    }

    /** Replaces {@code {{param}}} with the run's parameters; a parameter without a value stays as written. */
    public static String fill(String text, Map<String, String> params) {
        Matcher m = PARAM.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(params.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The parameters a runbook uses in its steps, in order. */
    public static List<String> parametersUsed(Runbook runbook) {
        return runbook.steps().stream()
                .flatMap(s -> PARAM.matcher(String.valueOf(s.run()) + " " + s.check() + " " + s.confirm() + " " + s.note()).results())
                .map(r -> r.group(1)).distinct().toList();
    }

    private void post(RunbookRun run, Message message) {
        outbox.enqueue(run.platform(), run.channelId(), message);
    }
}
