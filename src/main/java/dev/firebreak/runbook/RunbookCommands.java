package dev.firebreak.runbook;

import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.Outcome;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The {@code /runbook ...} commands: list, show, run, continue and abandon. */
public final class RunbookCommands {

    private final RunbookCatalog runbooks;
    private final RunbookRunner runner;
    private final IncidentService incidents;

    public RunbookCommands(RunbookCatalog runbooks, RunbookRunner runner, IncidentService incidents) {
        this.runbooks = runbooks;
        this.runner = runner;
        this.incidents = incidents;
    }

    /** The handlers by the builtin names that {@code commands/runbook.yaml} points at. */
    public Map<String, CommandHandler> handlers() {
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        handlers.put("runbook.list", this::list);
        handlers.put("runbook.show", this::show);
        handlers.put("runbook.run", this::run);
        handlers.put("runbook.continue", this::proceed);
        handlers.put("runbook.abandon", this::abandon);
        return handlers;
    }

    private Outcome list(CommandContext ctx) {
        List<List<String>> rows = runbooks.all().stream().sorted(Comparator.comparing(Runbook::id))
                .map(r -> List.of(r.id(), r.severity() == null ? "" : r.severity(), r.title(), Integer.toString(r.steps().size())))
                .toList();
        return Outcome.done(Reply.privately(Message.builder().heading("Runbooks").table(List.of("id", "sev", "title", "steps"), rows)
                .note("/runbook show ID for the steps; /runbook run ID [name=value ...] to run it").build()));
    }

    private Outcome show(CommandContext ctx) {
        Runbook runbook = runbook(ctx.arg("runbook"));
        Message.Builder out = Message.builder().heading(runbook.id() + ": " + runbook.title());
        if (!runbook.symptoms().isEmpty()) out.paragraph("Symptoms: " + String.join("; ", runbook.symptoms()));
        if (!runbook.params().isEmpty()) {
            out.paragraph("Parameters: " + String.join(", ", runbook.params().stream()
                    .map(p -> p.name() + " (" + p.description() + ")").toList()));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < runbook.steps().size(); i++) {
            Runbook.Step s = runbook.steps().get(i);
            String what = switch (s.kind()) {
                case "run" -> "run " + s.run();
                case "check" -> "check: " + s.check();
                case "confirm" -> "confirm (the run waits): " + s.confirm();
                case "message" -> "post template " + s.message();
                default -> "note: " + s.note();
            };
            lines.add((i + 1) + ". " + what + (s.why() == null ? "" : "   # " + s.why()));
        }
        out.preformatted(String.join("\n", lines));
        return Outcome.done(Reply.privately(out.build()));
    }

    private Outcome run(CommandContext ctx) {
        Runbook runbook = runbook(ctx.arg("runbook"));
        Map<String, String> params = new LinkedHashMap<>();
        String given = ctx.arg("params");
        if (given != null && !given.isBlank()) {
            for (String pair : given.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new InvalidInput("Runbook parameters are name=value pairs, got \"" + pair + "\".");
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        List<String> missing = RunbookRunner.parametersUsed(runbook).stream().filter(p -> !params.containsKey(p)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidInput("Runbook " + runbook.id() + " needs " + String.join(", ", missing) + ": /runbook run "
                    + runbook.id() + " " + String.join(" ", missing.stream().map(m -> m + "=...").toList()));
        }
        Optional<Incident> incident = incidents.ofCommand(ctx).filter(Incident::open);
        incident.ifPresent(i -> incidents.record(i, TimelineEntry.of(TimelineEvent.Type.RUNBOOK, ctx.actor(),
                "Started runbook " + runbook.id()).with("runbook", runbook.id())));
        RunbookRun run = runner.start(runbook, params, incident.map(Incident::number).orElse(null), ctx.platform(),
                ctx.channelId(), ctx.actor());
        return Outcome.done(Reply.publicly("Runbook " + runbook.id() + " R-" + run.id() + ": "
                + run.state().name().toLowerCase(Locale.ROOT) + "."));
    }

    private Outcome proceed(CommandContext ctx) {
        long id = runId(ctx, "continue");
        RunbookRun run = runner.proceed(id, ctx.actor());
        if (run.incidentNumber() != null) {
            incidents.find(run.incidentNumber()).filter(Incident::open).ifPresent(i -> incidents.record(i,
                    TimelineEntry.of(TimelineEvent.Type.RUNBOOK, ctx.actor(), "Confirmed a step of R-" + id + " ("
                            + run.runbook() + "); it went on").with("run", "R-" + id)));
        }
        return Outcome.done(Reply.publicly("R-" + id + " goes on."));
    }

    private Outcome abandon(CommandContext ctx) {
        long id = runId(ctx, "abandon");
        RunbookRun run = runner.abandon(id, ctx.actor());
        if (run.incidentNumber() != null) {
            incidents.find(run.incidentNumber()).filter(Incident::open).ifPresent(i -> incidents.record(i,
                    TimelineEntry.of(TimelineEvent.Type.RUNBOOK, ctx.actor(), "Abandoned R-" + id + " (" + run.runbook()
                            + ") before step " + (run.nextStep() + 1)).with("run", "R-" + id)));
        }
        return Outcome.done(Reply.publicly("R-" + id + " is abandoned."));
    }

    private static long runId(CommandContext ctx, String subcommand) {
        String ref = ctx.arg("run");
        if (!ref.matches("(?i)R-?\\d{1,18}")) {
            throw new InvalidInput("\"" + ref + "\" is not a run; give the R-number the runbook posted, e.g. /runbook "
                    + subcommand + " R-3.");
        }
        return Long.parseLong(ref.replaceAll("\\D", ""));
    }

    private Runbook runbook(String id) {
        return runbooks.find(id).orElseThrow(() -> new InvalidInput(runbooks.unknown(id)));
    }
}
