package dev.firebreak.command;

import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.Reply;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.incident.Severity;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.runbook.RunbookRunner;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The commands Firebreak runs itself: /incident ..., /runbook ..., /help. */
public final class Builtins {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Set<String> COMMUNICATIONS = Set.of("incident-report", "status-page-investigating",
            "status-page-resolved", "security-statement", "resolution-notice");

    private final IncidentService incidents;
    private final ChatPlatforms platforms;
    private final Outbox outbox;
    private final AuditLog audit;
    private final CommandRegistry registry;
    private final Map<String, Runbook> runbooks;
    private RunbookRunner runner;
    private final Map<String, Function<Engine.Context, Reply>> handlers = new LinkedHashMap<>();

    public Builtins(IncidentService incidents, ChatPlatforms platforms, Outbox outbox, AuditLog audit,
                    CommandRegistry registry, Map<String, Runbook> runbooks) {
        this.incidents = incidents;
        this.platforms = platforms;
        this.outbox = outbox;
        this.audit = audit;
        this.registry = registry;
        this.runbooks = Map.copyOf(runbooks);
        handlers.put("help", this::help);
        handlers.put("incident.declare", this::declare);
        handlers.put("incident.update", this::update);
        handlers.put("incident.status", this::status);
        handlers.put("incident.severity", this::severity);
        handlers.put("incident.assign", this::assign);
        handlers.put("incident.timeline", this::timeline);
        handlers.put("incident.resolve", this::resolve);
        handlers.put("incident.postmortem", this::postmortem);
        handlers.put("incident.handoff", this::handoff);
        handlers.put("incident.list", this::list);
        handlers.put("incident.post", this::postTemplate);
        handlers.put("runbook.list", this::runbookList);
        handlers.put("runbook.show", this::runbookShow);
        handlers.put("runbook.run", this::runbookRun);
        handlers.put("runbook.continue", this::runbookContinue);
    }

    /** Set once the runner (which needs the engine) exists. */
    public void useRunner(RunbookRunner runner) {
        this.runner = runner;
    }

    public Set<String> names() {
        return handlers.keySet();
    }

    public IncidentService incidents() {
        return incidents;
    }

    public AuditLog audit() {
        return audit;
    }

    Reply run(String name, Engine.Context ctx) {
        Function<Engine.Context, Reply> handler = handlers.get(name);
        if (handler == null) throw new IllegalStateException("no builtin " + name);
        return handler.apply(ctx);
    }

    /** Actions are allowed in the incidents channel and incident channels only (never in direct messages). */
    boolean isActionChannel(String platform, String channelId) {
        return platforms.find(platform).map(p -> p.incidents().id().equals(channelId)).orElse(false)
                || incidents.inChannel(platform, channelId).filter(Incident::open).isPresent();
    }

    /**
     * {@code /help}: each command you may run with the names of its subcommands, one line each;
     * {@code /help COMMAND}: the usage of each of its subcommands. Only what the asker may run.
     */
    private Reply help(Engine.Context ctx) {
        String only = ctx.command().arg("command");
        String wanted = only == null ? null : only.replace("/", "").strip().toLowerCase(Locale.ROOT);
        if (wanted != null && !registry.commandNames().contains(wanted)) {
            return Reply.privately("There is no /" + wanted + ". Commands: /" + String.join(", /", registry.commandNames())
                    + ". Type /help for all of them.");
        }
        Message.Builder out = Message.builder().heading(wanted == null ? "Firebreak commands you can run" : "/" + wanted);
        for (String command : registry.commandNames()) {
            if (wanted != null && !wanted.equals(command)) continue;
            List<CommandSpec> mine = registry.subcommands(command).stream()
                    .filter(s -> CommandRegistry.mayRun(ctx.person(), s)).toList();
            if (mine.isEmpty()) {
                if (wanted != null) out.paragraph("You may not run any /" + command + " command; ask an incident commander for the role.");
                continue;
            }
            if (wanted == null) {
                String subcommands = mine.stream().map(CommandSpec::subcommand).filter(sub -> !sub.isEmpty())
                        .collect(java.util.stream.Collectors.joining(", "));
                out.paragraph("*/" + command + "*: " + registry.description(command)
                        + (subcommands.isEmpty() ? "" : "\n" + subcommands));
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (CommandSpec spec : mine) {
                lines.add(spec.usage() + (spec.summary().isEmpty() ? "" : "  -  " + spec.summary())
                        + (spec.policy() != null ? "  [needs approval: " + spec.policy() + "]" : ""));
            }
            out.paragraph(registry.description(command)).preformatted(String.join("\n", lines));
        }
        if (wanted == null) out.paragraph("Type /help COMMAND for the arguments, e.g. /help incident.");
        return Reply.privately(out.build());
    }

    private Reply declare(Engine.Context ctx) {
        Severity severity = incidents.severity(ctx.command().arg("severity")).orElseThrow();
        String title = ctx.command().arg("title");
        boolean security = ctx.command().flag("security");
        Incident incident = incidents.declare(ctx.platform(), ctx.person().key(), severity, title, security, suggestRunbooks(title, security));
        return Reply.publicly("Declared " + incident.id() + " [" + severity.id() + "] in #" + incident.channelName() + ".");
    }

    /**
     * The runbooks whose title and symptoms share the most words with the incident's title, at
     * most three, by id when equally good (seed packs overlap: "blocks stopped" is in more than
     * one); the generic first response when nothing matches.
     */
    private List<String> suggestRunbooks(String title, boolean security) {
        if (security && runbooks.containsKey("jeju-security-breach")) return List.of("jeju-security-breach");
        List<String> words = java.util.Arrays.stream(title.toLowerCase(Locale.ROOT).split("\\W+"))
                .filter(w -> w.length() > 3).toList();
        Map<String, Long> matches = new java.util.TreeMap<>();
        for (Runbook r : runbooks.values()) {
            String text = (r.title() + " " + String.join(" ", r.symptoms())).toLowerCase(Locale.ROOT);
            matches.put(r.id(), words.stream().filter(text::contains).count());
        }
        long best = matches.values().stream().mapToLong(Long::longValue).max().orElse(0);
        if (best == 0) return runbooks.containsKey("first-response") ? List.of("first-response") : List.of();
        return matches.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey).limit(3).toList();
    }

    private Reply update(Engine.Context ctx) {
        Incident incident = open(ctx);
        incidents.postUpdate(incident, ctx.person().key(), ctx.command().arg("text"));
        return Reply.publicly("Update posted for " + incident.id() + ".");
    }

    private Reply status(Engine.Context ctx) {
        Incident incident = open(ctx);
        IncidentStatus status = IncidentStatus.parse(ctx.command().arg("status")).orElseThrow();
        if (status == IncidentStatus.RESOLVED) {
            throw new InvalidInput("Resolve with /incident resolve <root cause>, so the resolution notice is posted.");
        }
        incidents.changeStatus(incident, ctx.person().key(), status);
        return Reply.publicly(incident.id() + " is now " + status.label() + ".");
    }

    private Reply severity(Engine.Context ctx) {
        Incident incident = open(ctx);
        Severity severity = incidents.severity(ctx.command().arg("severity")).orElseThrow();
        incidents.changeSeverity(incident, ctx.person().key(), severity);
        return Reply.publicly(incident.id() + " is now " + severity.id() + ".");
    }

    private Reply assign(Engine.Context ctx) {
        Incident incident = open(ctx);
        incidents.assign(incident, ctx.person().key(), ctx.command().arg("role"), ctx.command().arg("person"));
        return Reply.publicly(ctx.command().arg("person") + " is " + ctx.command().arg("role") + " of " + incident.id() + ".");
    }

    private Reply timeline(Engine.Context ctx) {
        Incident incident = ctx.requireIncident();
        List<List<String>> rows = new ArrayList<>();
        for (TimelineEvent e : incidents.timeline(incident)) {
            rows.add(List.of(TIME.format(e.at()), e.actor(), e.kind(), e.text()));
        }
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder()
                .heading("Timeline of " + incident.id() + " [" + incident.severity() + "] " + incident.title())
                .table(List.of("time (UTC)", "who", "what", "details"), rows).build());
        return Reply.publicly("Timeline of " + incident.id() + " posted (" + rows.size() + " events).");
    }

    private Reply resolve(Engine.Context ctx) {
        Incident incident = open(ctx);
        incidents.resolve(incident, ctx.person().key(), ctx.command().arg("root_cause"));
        return Reply.publicly(incident.id() + " resolved. /incident postmortem drafts the post-mortem.");
    }

    private Reply postmortem(Engine.Context ctx) {
        Incident incident = ctx.requireIncident();
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder()
                .heading("Post-mortem draft for " + incident.id()).preformatted(incidents.postmortemDraft(incident)).build());
        return Reply.publicly("Post-mortem draft posted.");
    }

    private Reply handoff(Engine.Context ctx) {
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.text(incidents.handoff(ctx.person().key())));
        return Reply.publicly("Handoff checklist posted.");
    }

    private Reply list(Engine.Context ctx) {
        List<List<String>> rows = new ArrayList<>();
        for (Incident i : incidents.open()) {
            rows.add(List.of(i.id(), i.severity(), i.status().label(), i.title(), "#" + i.channelName(),
                    incidents.holder(i.number(), "commander").orElse("-")));
        }
        return Reply.privately(Message.builder().heading("Open incidents")
                .table(List.of("id", "sev", "status", "title", "channel", "commander"), rows).build());
    }

    private Reply postTemplate(Engine.Context ctx) {
        Incident incident = ctx.requireIncident();
        String template = ctx.command().arg("template");
        if (!COMMUNICATIONS.contains(template)) {
            throw new InvalidInput("Unknown template " + template + "; use one of " + String.join(", ", COMMUNICATIONS) + ".");
        }
        String text = incidents.communication(incident, template);
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder()
                .paragraph("Template *" + template + "* for " + incident.id() + " (fill the [BRACKETS] before publishing):")
                .preformatted(text).build());
        incidents.record(incident, ctx.person().key(), "communication", "Drafted " + template);
        return Reply.publicly("Template " + template + " posted.");
    }

    private Reply runbookList(Engine.Context ctx) {
        List<List<String>> rows = runbooks.values().stream().sorted(Comparator.comparing(Runbook::id))
                .map(r -> List.of(r.id(), r.severity() == null ? "" : r.severity(), r.title(), Integer.toString(r.steps().size())))
                .toList();
        return Reply.privately(Message.builder().heading("Runbooks").table(List.of("id", "sev", "title", "steps"), rows)
                .note("/runbook show ID for the steps; /runbook run ID [name=value ...] to run it").build());
    }

    private Reply runbookShow(Engine.Context ctx) {
        Runbook runbook = runbook(ctx.command().arg("runbook"));
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
        return Reply.privately(out.build());
    }

    private Reply runbookRun(Engine.Context ctx) {
        Runbook runbook = runbook(ctx.command().arg("runbook"));
        Map<String, String> params = new LinkedHashMap<>();
        String given = ctx.command().arg("params");
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
        Long incident = ctx.incident().filter(Incident::open).map(Incident::number).orElse(null);
        ctx.incident().filter(Incident::open).ifPresent(i -> incidents.record(i, ctx.person().key(), "runbook", "Started runbook " + runbook.id()));
        var run = runner.start(runbook, params, incident, ctx.platform(), ctx.channelId(), ctx.person().key());
        return Reply.publicly("Runbook " + runbook.id() + " R-" + run.id() + ": " + run.state().name().toLowerCase(Locale.ROOT) + ".");
    }

    private Reply runbookContinue(Engine.Context ctx) {
        String ref = ctx.command().arg("run");
        if (!ref.matches("(?i)R-?\\d{1,18}")) {
            throw new InvalidInput("\"" + ref + "\" is not a run; give the R-number the runbook posted, e.g. /runbook continue R-3.");
        }
        long id = Long.parseLong(ref.replaceAll("\\D", ""));
        var run = runner.proceed(id, ctx.person().key());
        if (run.incidentNumber() != null) {
            incidents.find(run.incidentNumber()).filter(Incident::open).ifPresent(i ->
                    incidents.record(i, ctx.person().key(), "runbook", "Confirmed a step of R-" + id + " (" + run.runbook() + "); it went on"));
        }
        return Reply.publicly("R-" + id + " goes on.");
    }

    private Runbook runbook(String id) {
        Runbook runbook = runbooks.get(id.toLowerCase(Locale.ROOT));
        if (runbook == null) {
            throw new InvalidInput("Unknown runbook " + id + "; /runbook list shows them.");
        }
        return runbook;
    }

    private Incident open(Engine.Context ctx) {
        Incident incident = ctx.requireIncident();
        if (!incident.open()) throw new InvalidInput(incident.id() + " is resolved; declare a new incident if it came back.");
        return incident;
    }
}
