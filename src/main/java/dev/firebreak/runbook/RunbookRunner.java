package dev.firebreak.runbook;

import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.Outcome;
import com.samskivert.mustache.Mustache;

import dev.firebreak.runbook.RunbookRun.StepStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Walks a runbook's steps. Each run has one message in its channel (the runbook, each step's
 * status, what it does now or how it ended: {@link RunbookMessage}), edited as steps complete, and
 * each step's output goes in that message's thread. It stops at an action that needs approval until
 * that is decided, and at a confirm step until a person says it is done. The run's position is
 * stored after every step, so it goes on after a restart: {@link #recover} continues each run
 * whose approval was decided meanwhile, and holds, with a message saying how to continue or
 * abandon it, each run that a restart cut short.
 */
public final class RunbookRunner {

    /** Step text is chat text, not HTML; {@code /runbook run} refuses to start without every parameter. */
    private static final Mustache.Compiler PLACEHOLDERS = Mustache.compiler().escapeHTML(false).defaultValue("");

    private final RunbookRuns runs;
    private final Outbox outbox;
    private final PostPages pages;
    private final Clock clock;
    private final StepExecutor executor;
    private final BiFunction<RunbookRun, String, String> templateRenderer;
    private final Map<String, Runbook> runbooks;
    /** When each running run's message was last edited, to edit it at most every {@link #EDIT_EVERY} while steps run. */
    private final Map<Long, Instant> lastEdit = new ConcurrentHashMap<>();
    /** Told of every run as it is held, with the reason in its status line (the incident's timeline records it). */
    private final List<java.util.function.Consumer<RunbookRun>> onHeld = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** How often a run's message is edited while its steps run; it is edited at once when the run waits, is held or ends. */
    static final Duration EDIT_EVERY = Duration.ofSeconds(3);

    /**
     * @param templateRenderer renders a message template for a run (its incident's values)
     */
    public RunbookRunner(RunbookRuns runs, Outbox outbox, PostPages pages, Clock clock, StepExecutor executor,
                         BiFunction<RunbookRun, String, String> templateRenderer, Map<String, Runbook> runbooks) {
        this.runs = runs;
        this.outbox = outbox;
        this.pages = pages;
        this.clock = clock;
        this.executor = executor;
        this.templateRenderer = templateRenderer;
        this.runbooks = Map.copyOf(runbooks);
    }

    /**
     * This incident's runs that wait for a person, one line each: a held one (after a restart, or at a refused step) as its hold
     * says it, with the reason; one holding at a confirm step with how to go on.
     */
    public List<String> heldFor(dev.firebreak.incident.Incident incident) {
        return runs.inState(RunbookRun.State.HELD, RunbookRun.State.HOLDING).stream()
                .filter(run -> Long.valueOf(incident.number()).equals(run.incidentNumber()))
                .map(run -> run.state() == RunbookRun.State.HELD && run.statusLine() != null ? run.statusLine()
                        : "Runbook " + run.runbook() + " (R-" + run.id() + ") " + (run.state() == RunbookRun.State.HELD
                        ? "held" : "holding") + " at step " + (run.nextStep() + 1)
                        + ": /runbook continue R-" + run.id() + " or /runbook abandon R-" + run.id())
                .toList();
    }

    /** {@code listener} is told of every run as it is held; its status line says why and how to go on. */
    public void onHeld(java.util.function.Consumer<RunbookRun> listener) {
        onHeld.add(listener);
    }

    public RunbookRun start(Runbook runbook, Map<String, String> params, Long incident, String platform, String channelId,
                            String person) {
        RunbookRun run = runs.create(new RunbookRun(0, runbook.id(), incident, platform, channelId, person, params, 0,
                RunbookRun.State.RUNNING, clock.instant(), null,
                java.util.Collections.nCopies(runbook.steps().size(), StepStatus.PENDING), "Starting."));
        return advance(posted(run));
    }

    /** What became of the approval a waiting run waits on, as {@link #recover} needs to know it. */
    public record Gate(String ref, Status status, String outcome) {
        public enum Status { UNDECIDED, SUCCEEDED, FAILED, INTERRUPTED }
    }

    /**
     * After a restart: a run that was between steps is held at the step it was on; a run waiting
     * on an approval that was decided meanwhile goes on (or stops, as it would have); a run waiting
     * on an action the restart interrupted is held. Held runs say how to continue or abandon them.
     */
    public synchronized void recover(Function<Long, Optional<Gate>> gateOfRun) {
        for (RunbookRun run : runs.inState(RunbookRun.State.RUNNING, RunbookRun.State.WAITING)) {
            Runbook runbook = runbooks.get(run.runbook());
            String where = runbook == null || run.nextStep() >= runbook.steps().size() ? "its end"
                    : "step " + (run.nextStep() + 1) + "/" + runbook.steps().size() + describe(runbook.steps().get(run.nextStep()));
            if (run.state() == RunbookRun.State.RUNNING) {
                hold(run, "Firebreak restarted while it was at " + where + ". `/runbook continue R-" + run.id()
                        + "` runs that step again and goes on");
                continue;
            }
            Optional<Gate> gate = gateOfRun.apply(run.id());
            if (gate.isEmpty()) {
                hold(run, "it waited on an approval that Firebreak cannot find after a restart. `/runbook continue R-" + run.id()
                        + "` goes on with " + where);
                continue;
            }
            switch (gate.get().status()) {
                case UNDECIDED -> { }
                case SUCCEEDED -> resume(run.id(), true, gate.get().outcome());
                case FAILED -> resume(run.id(), false, gate.get().outcome());
                case INTERRUPTED -> hold(run, gate.get().ref() + ", which it waited on, was interrupted by a restart and not "
                        + "repeated. Check the target system, then `/runbook continue R-" + run.id() + "` goes on with " + where);
            }
        }
    }

    private static String describe(Runbook.Step step) {
        return step.run() == null ? "" : " (`" + step.run() + "`)";
    }

    /**
     * Holds the run at its next step, in the one wording of a hold: where, why (with what {@code /runbook continue} then does),
     * and how to end it instead; the line is the run's status line, its thread's message and what {@link #heldFor} lists.
     */
    private RunbookRun hold(RunbookRun run, String why) {
        String line = "Runbook " + run.runbook() + " (R-" + run.id() + ") is held at step " + (run.nextStep() + 1) + ": " + why
                + ", or `/runbook abandon R-" + run.id() + "` ends it.";
        RunbookRun held = posted(run).at(run.nextStep(), RunbookRun.State.HELD).saying(line);
        detail(held, Message.text(Icon.WAITING, line));
        show(held, true);
        for (var listener : onHeld) listener.accept(held);
        return held;
    }

    /** Goes on after the approval a run was waiting on was decided. */
    public synchronized void resume(long runId, boolean actionSucceeded, String outcome) {
        runs.find(runId).filter(r -> r.state() == RunbookRun.State.WAITING).ifPresent(found -> {
            RunbookRun run = posted(found);
            int gated = run.nextStep() - 1;
            int count = stepCount(run);
            if (!actionSucceeded) {
                String line = "Runbook " + run.runbook() + " (R-" + run.id() + ") stopped: the action before step "
                        + (run.nextStep() + 1) + " " + outcome + ".";
                RunbookRun stopped = (gated >= 0 ? run.step(gated, StepStatus.FAILED, count) : run).skipFrom(run.nextStep(), count)
                        .at(run.nextStep(), RunbookRun.State.STOPPED).saying(line);
                detail(stopped, Message.text(Icon.STOPPED, line));
                show(stopped, true);
                return;
            }
            RunbookRun going = gated >= 0 ? run.step(gated, StepStatus.OK, count) : run;
            advance(going.at(run.nextStep(), RunbookRun.State.RUNNING));
        });
    }

    /**
     * Goes on after a confirm step, when {@code person} says it is done. Throws
     * {@link InvalidInput} when the run does not exist or is not holding for a person. One at a
     * time: when two people confirm at once, the second finds the run no longer holding.
     */
    public synchronized RunbookRun proceed(long runId, String person) {
        RunbookRun found = runs.find(runId).orElseThrow(() -> new InvalidInput("There is no runbook run R-" + runId + "."));
        if (found.state() != RunbookRun.State.HOLDING && found.state() != RunbookRun.State.HELD) {
            throw new InvalidInput("R-" + runId + " (" + found.runbook() + ") is " + found.state().name().toLowerCase(Locale.ROOT)
                    + ", not waiting for a person; nothing to continue.");
        }
        RunbookRun run = posted(found);
        boolean refused = run.state() == RunbookRun.State.HELD && run.statusOf(run.nextStep()) == StepStatus.FAILED;
        detail(run, Message.text(Icon.VOTE, person + (refused
                ? " continued R-" + run.id() + " at step " + (run.nextStep() + 1) + " (it could not run before, so it runs again)"
                : run.state() == RunbookRun.State.HELD
                ? " continued R-" + run.id() + " after the restart, at step " + (run.nextStep() + 1)
                : " confirmed step " + run.nextStep() + " of R-" + run.id()) + "; going on."));
        RunbookRun going = run.state() == RunbookRun.State.HOLDING && run.nextStep() > 0
                ? run.step(run.nextStep() - 1, StepStatus.OK, stepCount(run)) : run;
        return advance(going.at(run.nextStep(), RunbookRun.State.RUNNING));
    }

    /**
     * Ends a run that waits for a person, for an approval, or was held (after a restart, or at a step that could not run): it will
     * not go on. Throws {@link InvalidInput} when the run does not exist or has already ended.
     */
    public synchronized RunbookRun abandon(long runId, String person) {
        RunbookRun found = runs.find(runId).orElseThrow(() -> new InvalidInput("There is no runbook run R-" + runId + "."));
        if (found.state() != RunbookRun.State.HOLDING && found.state() != RunbookRun.State.HELD
                && found.state() != RunbookRun.State.WAITING) {
            throw new InvalidInput("R-" + runId + " (" + found.runbook() + ") is " + found.state().name().toLowerCase(Locale.ROOT)
                    + (found.state() == RunbookRun.State.RUNNING ? " right now; abandon it when it waits or is held."
                    : " already; nothing to abandon."));
        }
        RunbookRun run = posted(found);
        String line = person + " abandoned runbook " + run.runbook() + " (R-" + run.id()
                + ") before step " + (run.nextStep() + 1) + "; it will not go on"
                + (run.state() == RunbookRun.State.WAITING ? ", even when the approval it waited on is decided" : "") + ".";
        int count = stepCount(run);
        int from = run.state() == RunbookRun.State.HELD ? run.nextStep() : Math.max(0, run.nextStep() - 1);
        RunbookRun abandoned = run.skipFrom(from, count).at(run.nextStep(), RunbookRun.State.ABANDONED).saying(line);
        detail(abandoned, Message.text(Icon.STOPPED, line));
        show(abandoned, true);
        return abandoned;
    }

    private RunbookRun advance(RunbookRun start) {
        RunbookRun run = start;
        Runbook runbook = runbooks.get(run.runbook());
        List<Runbook.Step> steps = runbook.steps();
        int count = steps.size();
        for (int i = run.nextStep(); i < steps.size(); i++) {
            Runbook.Step step = steps.get(i);
            String label = "Step " + (i + 1) + "/" + steps.size();
            switch (step.kind()) {
                case "check" -> {
                    run = run.step(i, StepStatus.PERSON, count);
                    detail(run, Message.text(Icon.VOTE, label + " (for a person): " + fill(step.check(), run.params())));
                    run = run.at(i + 1, RunbookRun.State.RUNNING);
                    show(run, false);
                }
                case "confirm" -> {
                    RunbookRun holding = run.step(i, StepStatus.RUNNING, count).at(i + 1, RunbookRun.State.HOLDING)
                            .saying("Waiting for a person at step " + (i + 1) + "/" + count + "; `/runbook continue R-" + run.id()
                                    + "` once it is done.");
                    detail(holding, Message.text(Icon.WAITING, "" + label + " waits for a person: " + fill(step.confirm(), run.params())
                            + "\nWhen it is done: `/runbook continue R-" + run.id() + "`"));
                    show(holding, true);
                    return holding;
                }
                case "note" -> {
                    run = run.step(i, StepStatus.OK, count);
                    detail(run, Message.text(Icon.INFO, label + ": " + fill(step.note(), run.params())));
                    run = run.at(i + 1, RunbookRun.State.RUNNING);
                    show(run, false);
                }
                case "message" -> {
                    run = run.step(i, StepStatus.OK, count);
                    detail(run, Message.builder().paragraph(Icon.ANNOUNCEMENT, label + ": template "
                            + step.message()).preformatted(templateRenderer.apply(run, step.message())).build());
                    run = run.at(i + 1, RunbookRun.State.RUNNING);
                    show(run, false);
                }
                default -> {
                    String line = fill(step.run(), run.params());
                    run = run.step(i, StepStatus.RUNNING, count).saying("Step " + (i + 1) + "/" + count + " running: `" + line + "`.");
                    show(run, false);
                    switch (executor.run(run, line)) {
                        case Outcome.Done done -> {
                            boolean ok = step.fine(done.status());
                            boolean critical = "CRITICAL".equals(done.status());
                            Icon icon = ok ? Icon.OK : critical ? Icon.CRITICAL : Icon.WARNING;
                            run = run.step(i, ok ? StepStatus.OK : critical ? StepStatus.CRITICAL : StepStatus.WARNING, count);
                            // one post in the thread: the first page of a long output, with the command for the rest
                            detail(run, pages.details(run.platform(), Message.text(icon, label + " `" + line + "`: " + done.summary()),
                                    done.details(), 1, PostPages.LINES, "lines", line + " --" + CommandSpec.PAGE_OPTION).message());
                            if (critical && !ok && runbook.stopOnCritical()) {
                                RunbookRun stopped = run.skipFrom(i + 1, count).at(i + 1, RunbookRun.State.STOPPED)
                                        .saying("Runbook " + run.runbook() + " (R-" + run.id() + ") stops at the "
                                        + "critical finding of step " + (i + 1) + ", as it is written to: look at it before anyone "
                                        + "acts on the steps after it (/runbook show " + run.runbook() + ").");
                                show(stopped, true);
                                return stopped;
                            }
                            run = run.at(i + 1, RunbookRun.State.RUNNING);
                            show(run, false);
                        }
                        case Outcome.AwaitingApproval waiting -> {
                            RunbookRun waitingRun = run.at(i + 1, RunbookRun.State.WAITING)
                                    .saying("Waiting for approval " + waiting.ref() + " at step " + (i + 1) + "/" + count
                                            + ": its request is in this channel; the runbook goes on once it has run.");
                            detail(waitingRun, Message.text(Icon.PAUSED, "" + label + " `" + line + "` waits for approval "
                                    + waiting.ref() + "; the runbook goes on when it has run."));
                            show(waitingRun, true);
                            return waitingRun;
                        }
                        case Outcome.Refused refused -> {
                            // held at this step, not stopped: the person fixes what the refusal says and runs it again
                            return hold(run.step(i, StepStatus.FAILED, count).at(i, RunbookRun.State.RUNNING), label + " `" + line
                                    + "` could not run: " + refused.summary() + " Once that is fixed, `/runbook continue R-" + run.id()
                                    + "` runs it again");
                        }
                    }
                }
            }
        }
        RunbookRun done = run.at(steps.size(), RunbookRun.State.DONE)
                .saying("Runbook " + run.runbook() + " (R-" + run.id() + ") finished.");
        show(done, true);
        return done;
    }

    /**
     * The run with its message: a run stored before runs had one (or whose message was never
     * queued) gets it now, showing every step it did not track as pending.
     */
    private RunbookRun posted(RunbookRun run) {
        if (run.messageId() != null) return run;
        Runbook runbook = runbooks.get(run.runbook());
        RunbookRun tracked = run;
        if (runbook != null && run.steps().size() < runbook.steps().size()) {
            for (int i = 0; i < runbook.steps().size(); i++) tracked = tracked.step(i, run.statusOf(i), runbook.steps().size());
        }
        long message = outbox.enqueue(run.platform(), run.channelId(), RunbookMessage.of(runbook, tracked));
        RunbookRun withMessage = tracked.withMessage(message);
        runs.save(withMessage);
        lastEdit.put(run.id(), clock.instant());
        return withMessage;
    }

    /** A step's output, in the thread of the run's message. */
    private void detail(RunbookRun run, Message message) {
        outbox.enqueueReply(run.messageId(), message);
    }

    /**
     * Stores the run and edits its message: at once when {@code now} (the run waits, is held or
     * ended), otherwise at most every {@link #EDIT_EVERY} while its steps run; the outbox sends only
     * the last of several edits still queued.
     */
    private void show(RunbookRun run, boolean now) {
        runs.save(run);
        Instant last = lastEdit.get(run.id());
        Instant at = clock.instant();
        if (!now && last != null && at.isBefore(last.plus(EDIT_EVERY))) return;
        outbox.enqueueEdit(run.messageId(), RunbookMessage.of(runbooks.get(run.runbook()), run));
        if (now && run.state() != RunbookRun.State.RUNNING) lastEdit.remove(run.id());
        else lastEdit.put(run.id(), at);
    }

    private int stepCount(RunbookRun run) {
        Runbook runbook = runbooks.get(run.runbook());
        return runbook == null ? run.steps().size() : runbook.steps().size();
    }


    /** Fills a step's {@code {{param}}} placeholders (Mustache, as the message templates) with the run's parameters. */
    public static String fill(String text, Map<String, String> params) {
        return PLACEHOLDERS.compile(text).execute(params);
    }

    /** The parameters a runbook uses in its steps, in order. */
    public static List<String> parametersUsed(Runbook runbook) {
        Set<String> names = new LinkedHashSet<>();
        for (Runbook.Step s : runbook.steps()) names.addAll(parametersUsed(s));
        return List.copyOf(names);
    }

    /** The parameters one step uses, in order. */
    public static List<String> parametersUsed(Runbook.Step step) {
        Set<String> names = new LinkedHashSet<>();
        for (String text : new String[] {step.run(), step.check(), step.confirm(), step.note()}) {
            if (text == null) continue;
            PLACEHOLDERS.compile(text).visit(new Mustache.Visitor() {
                @Override public void visitText(String text) {}
                @Override public void visitVariable(String name) { names.add(name); }
                @Override public boolean visitInclude(String name) { return false; }
                @Override public boolean visitSection(String name) { names.add(name); return true; }
                @Override public boolean visitInvertedSection(String name) { names.add(name); return true; }
            });
        }
        return List.copyOf(names);
    }
}
