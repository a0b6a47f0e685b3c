package dev.firebreak.app;

import dev.firebreak.alert.AlertIntake;
import dev.firebreak.alert.AlertmanagerWebhook;
import dev.firebreak.alert.MessageAlerts;
import dev.firebreak.approval.ApprovalService;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.chat.SanitizedPlatform;
import dev.firebreak.command.CommandLineParser;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.Engine;
import dev.firebreak.command.CommandDispatcher;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.HelpCommand;
import dev.firebreak.approval.ActionCommand;
import dev.firebreak.approval.ApprovalCommands;
import dev.firebreak.approval.ApprovalPolicyCheck;
import dev.firebreak.diagnostic.DiagnosticCommand;
import dev.firebreak.diagnostic.FirstSnapshot;
import dev.firebreak.diagnostic.ProbeDeadline;
import dev.firebreak.diagnostic.ProbeRunner;
import dev.firebreak.incident.IncidentActivity;
import dev.firebreak.incident.IncidentCommands;
import dev.firebreak.incident.IncidentPins;
import dev.firebreak.incident.IncidentTimeline;
import dev.firebreak.runbook.RunbookCatalog;
import dev.firebreak.runbook.RunbookCommands;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.kernel.Secret;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.incident.Severity;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.oncall.Escalations;
import dev.firebreak.oncall.OnCallRoster;
import dev.firebreak.paging.PagerDutyQueue;
import dev.firebreak.paging.PagerDutyWebhook;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.oncall.OncallCommands;
import dev.firebreak.people.People;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.chain.ChainOperations;
import dev.firebreak.probe.chain.SignedTransactions;
import dev.firebreak.probe.http.HttpOperations;
import dev.firebreak.probe.k8s.KubernetesOperations;
import dev.firebreak.probe.sql.SqlOperations;
import dev.firebreak.runbook.RunbookRunner;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.UsageError;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.timelock.TimelockReminders;
import dev.firebreak.schedule.AlertRulesRoute;
import dev.firebreak.schedule.ScheduleCommands;
import dev.firebreak.schedule.ScheduledChecks;
import dev.firebreak.store.JdbcScheduleStore;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcApprovalRepository;
import dev.firebreak.store.JdbcAlertStore;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.store.JdbcOncallStore;
import dev.firebreak.store.JdbcPagingEventStore;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.JdbcRunbookRuns;
import dev.firebreak.store.JdbcWatcherStore;
import dev.firebreak.watch.Watchers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import dev.firebreak.store.JdbcStatusPageStore;
import dev.firebreak.status.StatusPage;
import dev.firebreak.status.StatuspagePush;
import dev.firebreak.kernel.WebPage;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The whole bot, wired by hand: store, outbox, incidents, approvals, runbooks, probes and the
 * engine the chat adapters talk to. {@code Main} and the tests build it the same way.
 */
public final class Firebreak implements AutoCloseable {

    /** The probe {@code /diag watchers} runs: every watcher of {@code bot/watchers.yaml} and how it stands. */
    public static final String WATCHERS_PROBE = "watch.overview";

    private final Outbox outbox;
    private final IncidentService incidents;
    private final ApprovalService approvals;
    private final RunbookRunner runner;
    private final AlertIntake alerts;
    private final FirstSnapshot snapshot;
    private final StatusPage statusPage;
    private final StatuspagePush statuspage;
    private final Watchers watchers;
    private final ScheduledChecks schedules;
    private final TimelockReminders timelockReminders;
    private final java.util.function.Supplier<List<String>> timelockWarnings;
    private final Escalations escalations;
    private final PagerDutyQueue pager;
    private final PagerDutyWebhook pagerDutyWebhook;
    private final Engine engine;
    private final CommandDispatcher commands;
    private final List<AutoCloseable> resources;
    private final Targets targets;
    private final CommandLineParser parser;
    private final List<ConfigProblem> connectionProblems;
    private final Map<String, Probe> probes;
    private final Map<String, Action> actions;
    private volatile boolean active;
    /** Set by {@link #close}: no job starts any more, and {@link #start} does nothing. */
    private volatile boolean closing;
    /** The work {@link #start} began in the background, joined by {@link #close}. */
    private final List<Thread> starting = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How long {@link #close} waits for work under way (a schedule's probes, a runbook step) before it closes the rest. */
    static final Duration STOPPING_WAIT = Duration.ofSeconds(10);
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("firebreak-ticker").factory());

    /** A chat platform to connect, and how fast to post in one channel. */
    public record PlatformConnection(ChatPlatform platform, Duration pacePerChannel) {}

    /** The builtin handlers, probes and actions commands may name, by name, as this engine wires them (chain actions apart). */
    public record Targets(Set<String> builtins, Set<String> probes, Set<String> actions, Set<String> chainActions) {}

    private Firebreak(Outbox outbox, IncidentService incidents, ApprovalService approvals, RunbookRunner runner, AlertIntake alerts,
                      FirstSnapshot snapshot, StatusPage statusPage, StatuspagePush statuspage,
                      Watchers watchers, ScheduledChecks schedules, TimelockReminders timelockReminders,
                      java.util.function.Supplier<List<String>> timelockWarnings, Escalations escalations, PagerDutyQueue pager, PagerDutyWebhook pagerDutyWebhook, Engine engine,
                      CommandDispatcher commands, List<AutoCloseable> resources, Targets targets, CommandLineParser parser,
                      List<ConfigProblem> connectionProblems, Map<String, Probe> probes, Map<String, Action> actions) {
        this.probes = Map.copyOf(probes);
        this.actions = Map.copyOf(actions);
        this.statusPage = statusPage;
        this.statuspage = statuspage;
        this.commands = commands;
        this.outbox = outbox;
        this.resources = resources;
        this.connectionProblems = connectionProblems;
        this.incidents = incidents;
        this.approvals = approvals;
        this.runner = runner;
        this.alerts = alerts;
        this.snapshot = snapshot;
        this.watchers = watchers;
        this.schedules = schedules;
        this.timelockReminders = timelockReminders;
        this.timelockWarnings = timelockWarnings;
        this.escalations = escalations;
        this.pager = pager;
        this.pagerDutyWebhook = pagerDutyWebhook;
        this.engine = engine;
        this.targets = targets;
        this.parser = parser;
    }

    /**
     * Commands a build adds beside {@code commands/}, with their builtin handlers, wired from the
     * engine's parts once it is assembled: the demo's {@code /demo sign} (and the pre-signed pause it
     * seeds through the engine's own action). The production build adds {@link #NONE}, so neither its
     * catalog, its Slack manifest nor {@code firebreak run} knows them.
     */
    public record Extension(CommandRegistry commands, java.util.function.Function<Parts, Map<String, CommandHandler>> wiring) {
        public static final Extension NONE = new Extension(null, parts -> Map.of());
    }

    /** What an {@link Extension} is wired from: the engine's approvals, its actions and probes by name, and its audit log. */
    public record Parts(ApprovalService approvals, Map<String, Action> actions, Map<String, Probe> probes, IncidentTimeline timeline) {}

    public static Firebreak assemble(FirebreakConfig config, Database database, Clock clock, List<PlatformConnection> connections,
                                     MeterRegistry metrics) {
        return assemble(config, database, clock, connections, metrics, Extension.NONE);
    }

    /** As {@link #assemble(FirebreakConfig, Database, Clock, List, MeterRegistry)}, with a build's own commands ({@code extension}). */
    public static Firebreak assemble(FirebreakConfig configured, Database database, Clock clock, List<PlatformConnection> connections,
                                     MeterRegistry metrics, Extension extension) {
        FirebreakConfig config = extension.commands() == null ? configured
                : configured.withCommands(configured.commands().with(extension.commands()));
        People people = new People(config.people());
        AuditLog audit = new JdbcAuditLog(database, clock);
        Outbox outbox = new Outbox(new JdbcOutboxStore(database), clock);
        PostPages postPages = new PostPages(outbox);
        ChatPlatforms platforms = new ChatPlatforms();
        for (PlatformConnection c : connections) {
            ChatPlatform platform = SanitizedPlatform.of(c.platform());
            outbox.register(platform, c.pacePerChannel());
            platforms.add(platform, config.channels().incidents(), config.channels().alerts());
        }
        JdbcIncidentRepository incidentStore = new JdbcIncidentRepository(database);
        IncidentTimeline timeline = new IncidentTimeline(incidentStore, audit, clock);
        IncidentService incidents = new IncidentService(incidentStore, config.severities(), people,
                platforms, outbox, config.templates(), timeline, clock, config.channels().incidentChannelPrefix(),
                config.channels().securityResponders());

        Map<String, Probe> probes = new HashMap<>();
        Map<String, Action> actions = new HashMap<>();
        HttpOperations http = new HttpOperations(config.services());
        probes.putAll(http.probes());
        actions.putAll(http.actions());
        List<AutoCloseable> resources = new ArrayList<>();
        ExecutorService rpcThreads = Executors.newVirtualThreadPerTaskExecutor();
        CommandRegistry registry = config.commands();
        CommandLineParser parser = new CommandLineParser(registry,
                Map.of("severity", s -> incidents.severity(s).isPresent(),
                        "person", s -> people.byKey(s).isPresent(),
                        "status", s -> IncidentStatus.parse(s).isPresent()),
                Map.of("severity", "one of " + incidents.severities().stream().map(Severity::id).collect(Collectors.joining(", ")),
                        "person", "one of " + people.all().stream().map(p -> p.key()).collect(Collectors.joining(", ")),
                        "status", "investigating, identified or monitoring"));
        ChainOperations chain = new ChainOperations(config.chains(), new SignedTransactions(database.dataSource()), clock, rpcThreads,
                actionLines(parser), pauseCommandSafes(registry));
        resources.add(chain);
        resources.add(rpcThreads);
        probes.putAll(chain.probes());
        actions.putAll(chain.actions());
        KubernetesOperations kubernetes = new KubernetesOperations(config.clusters(), clock);
        resources.add(kubernetes);
        // said once, by whoever starts or checks the engine (Main.checked, firebreak check), never here as well
        List<ConfigProblem> connectionProblems = kubernetes.connectionProblems();
        probes.putAll(kubernetes.probes());
        actions.putAll(kubernetes.actions());
        probes.putAll(new SqlOperations(config.databases()).probes());

        ApprovalService approvals = new ApprovalService(new JdbcApprovalRepository(database), config.policies(), actions, people,
                platforms, outbox, incidents, timeline, audit, clock);
        RunbookCatalog runbooks = new RunbookCatalog(config.runbooks());
        JdbcStatusPageStore statusPageStore = new JdbcStatusPageStore(database);
        StatusPage statusPage = new StatusPage(config.statusPage(), statusPageStore, incidents, outbox, config.templates(), clock);
        StatuspagePush statuspage = new StatuspagePush(config.statusPage(), statusPageStore, incidents, outbox, clock);
        // runs waiting for a person, listed by /incident status and the handoff; the runner is built later, on the commands
        java.util.concurrent.atomic.AtomicReference<RunbookRunner> runnerOnceBuilt = new java.util.concurrent.atomic.AtomicReference<>();
        IncidentActivity heldRuns = incident -> runnerOnceBuilt.get() == null ? List.of() : runnerOnceBuilt.get().heldFor(incident);
        IncidentCommands incidentCommands = new IncidentCommands(incidents, outbox, postPages, runbooks, List.of(approvals::pendingFor, heldRuns),
                statusPage, clock);
        IncidentPins pins = new IncidentPins(incidents, people, outbox);
        AlertIntake alerts = new AlertIntake(config.alerts(), new JdbcAlertStore(database), incidents, platforms, outbox, clock);
        Watchers watchers = new Watchers(config.watchers(), probes, alerts, new JdbcWatcherStore(database), clock);
        resources.add(watchers);
        probes.put(WATCHERS_PROBE, Probe.withoutArguments(watchers::overview));
        ProbeRunner probeRunner = new ProbeRunner(probes, ProbeDeadline.CAP, metrics);
        resources.add(probeRunner);
        DiagnosticCommand diagnostics = new DiagnosticCommand(probeRunner, incidents, outbox, postPages);
        ActionCommand actionCommand = new ActionCommand(actions, approvals, incidents, timeline, platforms, outbox);

        incidents.onResolved(approvals::cancelAllOf);
        Map<String, CommandHandler> builtins = new HashMap<>(incidentCommands.handlers());
        builtins.putAll(new ApprovalCommands(approvals, incidents, clock).handlers());
        builtins.put("help", new HelpCommand(registry));
        extension.wiring().apply(new Parts(approvals, Map.copyOf(actions), Map.copyOf(probes), timeline)).forEach((name, handler) -> {
            if (builtins.putIfAbsent(name, handler) != null) throw new IllegalArgumentException("builtin " + name + " is already wired");
        });
        JdbcOncallStore oncallStore = new JdbcOncallStore(database);
        OnCallRoster roster = new OnCallRoster(config.oncall(), oncallStore);
        PagerDutyQueue pager = new PagerDutyQueue(new JdbcPagingEventStore(database), config.oncall().pagerduty(),
                config.oncall().routingKeys(), outbox, clock);
        resources.add(pager);
        for (String action : List.of("trigger", "acknowledge", "resolve")) {
            for (PagerDutyQueue.Delivery outcome : PagerDutyQueue.Delivery.values()) pagesSent(metrics, action, outcome);
        }
        pager.onDelivery((action, outcome) -> pagesSent(metrics, action, outcome).increment());
        Escalations escalations = new Escalations(config.oncall(), roster, oncallStore, incidents, people, outbox, pager, clock);
        incidents.onDeclarationRecorded(escalations::declared);
        incidents.onResolved(escalations::resolved);
        // held runbook runs are listed in the handoff; the runner is built once the command path it runs steps on exists
        builtins.putAll(new OncallCommands(roster, escalations, incidents, people, outbox, config.templates(),
                List.of(approvals::pendingFor, heldRuns), clock).handlers());
        // Runbook steps run every command but /runbook itself, so a runbook cannot start runbooks.
        CommandDispatcher steps = new CommandDispatcher(parser, people, builtins, diagnostics, actionCommand,
                (ctx, line) -> audit.record(ctx.actor(), "command", ctx.platform() + ":" + ctx.channelId(), line),
                incidents::holdsIncidentRole, metrics);
        RunbookRunner runner = new RunbookRunner(new JdbcRunbookRuns(database), outbox, postPages, clock,
                (run, line) -> steps.fromRunbook(run.startedBy(), run.platform(), run.channelId(), run.incidentNumber(), run.id(), line),
                (run, template) -> run.incidentNumber() == null ? "(template " + template + " needs an incident)"
                        : incidents.find(run.incidentNumber()).map(i -> incidents.communication(i, template)).orElse(""),
                config.runbooks());
        runnerOnceBuilt.set(runner);
        // a held run's reason goes on its incident's timeline, in the words of the hold
        runner.onHeld(held -> {
            if (held.incidentNumber() == null) return;
            incidents.find(held.incidentNumber()).filter(dev.firebreak.incident.Incident::open).ifPresent(i -> incidents.record(i,
                    TimelineEntry.of(TimelineEvent.Type.RUNBOOK, IncidentService.BOT, held.statusLine())
                            .from(TimelineEvent.Source.RUNBOOK).with("run", "R-" + held.id())));
        });
        // A schedule runs its diagnostics as runbook steps run them (answered, not posted: the schedule posts one
        // digest), under no runbook run; an action line is never run by a schedule, it becomes a checklist item.
        ScheduledChecks schedules = new ScheduledChecks(config.schedules(), new JdbcScheduleStore(database), config.runbooks(),
                (person, platform, channelId, line) -> steps.fromRunbook(person, platform, channelId, null, 0L, line),
                line -> isAction(parser, line), new AlertRulesRoute(alerts), platforms, outbox, postPages, people, audit,
                config.channels().alerts(),
                owner -> roster.rotation(owner).isPresent() ? roster.at(owner, clock.instant()).person() : owner, clock);
        Map<String, CommandHandler> runningCommands = new HashMap<>(new RunbookCommands(runbooks, runner, incidents).handlers());
        runningCommands.putAll(new ScheduleCommands(schedules).handlers());
        CommandDispatcher commands = steps.with(runningCommands);

        FirstSnapshot snapshot = new FirstSnapshot(config.snapshot(), parser, probeRunner, incidents, outbox, postPages, clock);
        resources.add(snapshot);
        incidents.onDeclared(snapshot::declared);

        MessageAlerts messageAlerts = new MessageAlerts(config.alerts(), alerts, platforms);
        for (String source : List.of(AlertIntake.ALERTMANAGER, MessageAlerts.SOURCE, Watchers.SOURCE, AlertRulesRoute.SOURCE,
                TimelockReminders.SOURCE)) {
            for (AlertIntake.Outcome outcome : AlertIntake.Outcome.values()) alertsReceived(metrics, source, outcome);
        }
        alerts.onReceived((source, outcome) -> alertsReceived(metrics, source, outcome).increment());
        Engine engine = new Engine(commands, List.of(approvals::onReaction, schedules::onReaction, pins::onReaction),
                List.of(pins::onMessage, messageAlerts::onMessage), List.of(approvals::catchUp));
        for (String action : actions.keySet()) {
            for (String outcome : List.of("succeeded", "failed")) approvalsFinished(metrics, action, outcome);
        }
        approvals.onFinished(finished -> approvalsFinished(metrics, finished.request().action(),
                finished.result().succeeded() ? "succeeded" : "failed").increment());
        approvals.onFinished(finished -> {
            if (finished.request().runbookRunId() != null) {
                runner.resume(finished.request().runbookRunId(), finished.result().succeeded(),
                        finished.result().succeeded() ? "succeeded" : "did not run (" + finished.result().summary() + ")");
            }
        });
        PagerDutyWebhook pagerDutyWebhook = new PagerDutyWebhook(config.oncall().pagerduty().webhookSecret(), pager,
                (number, who) -> incidents.find(number).filter(dev.firebreak.incident.Incident::open)
                        .map(incident -> escalations.acknowledge(incident, who, TimelineEvent.Source.WEBHOOK))
                        .orElse("INC-" + number + " is no longer open"));
        // the commitments reminded at their ETA: those of the contracts a chain.commitment watcher watches, in its window of blocks
        Map<String, Long> watchedCommitments = config.watchers().watchers().stream()
                .filter(w -> "chain.commitment".equals(w.probe()) && w.with().get("contract") != null)
                .collect(java.util.stream.Collectors.toUnmodifiableMap(w -> w.with().get("contract"),
                        w -> dev.firebreak.probe.chain.ScheduledOperations.committedBlocks(w.with()), Math::max));
        TimelockReminders timelockReminders = new TimelockReminders(chain.scheduledOperations(), watchedCommitments, approvals, platforms,
                outbox, alerts, people, audit, clock);
        Firebreak firebreak = new Firebreak(outbox, incidents, approvals, runner, alerts, snapshot, statusPage, statuspage, watchers, schedules,
                timelockReminders, chain::timelockDelayWarnings, escalations, pager, pagerDutyWebhook, engine, commands, resources,
                new Targets(Set.copyOf(commands.builtinNames()), Set.copyOf(probes.keySet()), Set.copyOf(actions.keySet()),
                        chain.transactionActions()), parser,
                connectionProblems, probes, actions);
        registerGauges(metrics, firebreak, outbox, approvals, database);
        return firebreak;
    }

    private static Counter pagesSent(MeterRegistry metrics, String action, PagerDutyQueue.Delivery outcome) {
        return Counter.builder("firebreak.pages")
                .description("PagerDuty events sent, by action (trigger, acknowledge, resolve) and outcome (accepted, retried "
                        + "for a 429, 5xx or no answer, or refused for good)")
                .tag("action", action).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(metrics);
    }

    private static Counter alertsReceived(MeterRegistry metrics, String source, AlertIntake.Outcome outcome) {
        return Counter.builder("firebreak.alerts.received")
                .description("Alert notifications taken in, by source (alertmanager, message for a message rule in the alerts channel, watcher, "
                        + "schedule) and outcome (recorded, or unchanged for a repeat that changed nothing)")
                .tag("source", source).tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                .register(metrics);
    }

    private static Counter approvalsFinished(MeterRegistry metrics, String action, String outcome) {
        return Counter.builder("firebreak.approvals.finished")
                .description("Approved actions carried out, by action and outcome (succeeded, or failed when it ran and did "
                        + "not succeed or could not run)")
                .tag("action", action).tag("outcome", outcome)
                .register(metrics);
    }

    private static void registerGauges(MeterRegistry metrics, Firebreak firebreak, Outbox outbox, ApprovalService approvals,
                                       Database database) {
        Gauge.builder("firebreak.outbox.depth", outbox, Outbox::depth)
                .description("Messages queued for chat and not yet delivered")
                .register(metrics);
        Gauge.builder("firebreak.outbox.oldest.pending.age", outbox, o -> o.oldestPendingAge().toMillis() / 1000.0)
                .description("How long the longest-waiting undelivered chat message has waited; 0 when nothing waits")
                .baseUnit("seconds")
                .register(metrics);
        Gauge.builder("firebreak.results.unrecorded", approvals, ApprovalService::resultsWaitingForStore)
                .description("Results of approved actions the store did not take yet; recorded and posted once it answers")
                .register(metrics);
        Gauge.builder("firebreak.leader", firebreak, f -> f.active ? 1 : 0)
                .description("1 while this process is the active one (runs the timers, outbox delivery and the chat "
                        + "connections), 0 when it is not")
                .register(metrics);
        Gauge.builder("firebreak.store.up", database, d -> d.reachable() ? 1 : 0)
                .description("1 when the store (SQLite or PostgreSQL) answers, 0 when it cannot be reached")
                .register(metrics);
    }

    /**
     * Resumes work interrupted by a restart and starts the clock-driven jobs (reminders, expiry,
     * what a store outage held back) and delivery. Returns at once: interrupted actions resume in
     * the background (a transaction waits for its receipt there), so the platforms connect meanwhile.
     */
    public synchronized void start(Duration tickEvery) {
        if (closing) return; // closed before it was started (a replica elected as it stops)
        approvals.recover();
        // runs that go on run their steps: in the background, like the actions recovery resumed
        background("runbook-recovery", () -> run("runbook recovery",
                () -> runner.recover(runId -> approvals.requestOfRun(runId).map(Firebreak::gate))));
        run("finishing declarations", incidents::finishDeclarations);
        // schedules missed while Firebreak was down run once each, in the background like runbook recovery
        background("schedule-catch-up", () -> run("scheduled checks missed while down", schedules::runDue));
        outbox.start();
        background("timelock-check", () -> run("checking the timelocks' delays", () -> timelockWarnings.get()
                .forEach(w -> org.slf4j.LoggerFactory.getLogger(Firebreak.class).warn("bot/chains.yaml {}", w))));
        ticker.scheduleWithFixedDelay(this::tick, tickEvery.toMillis(), tickEvery.toMillis(), TimeUnit.MILLISECONDS);
        active = true;
    }

    /** Work started with the engine that {@link #close} waits for before it closes what the work uses. */
    private void background(String name, Runnable work) {
        starting.add(Thread.ofVirtual().name(name).start(work));
    }

    /** The Safes that commands running {@code chain.pause} name with {@code via:}: pauses that go through them are Safe-held. */
    static Set<String> pauseCommandSafes(CommandRegistry registry) {
        return registry.all().stream()
                .filter(spec -> spec.target().kind() == CommandSpec.Kind.ACTION && "chain.pause".equals(spec.target().name()))
                .map(CommandSpec::viaSafe).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    }

    /** What {@code /action schedule <line>} schedules: the action {@code /action <line>} runs, with its arguments. */
    public static ChainOperations.ActionLines actionLines(CommandLineParser parser) {
        return line -> actionLine(parser, line);
    }

    private static ChainOperations.ActionLines.Parsed actionLine(CommandLineParser parser, String line) {
        ParsedCommand parsed;
        try {
            parsed = parser.parse("/action " + line);
        } catch (UsageError e) {
            throw new dev.firebreak.kernel.InvalidInput("'" + line + "' is not an action as /action takes it: " + e.getMessage());
        }
        if (parsed.spec().target().kind() != CommandSpec.Kind.ACTION) {
            throw new dev.firebreak.kernel.InvalidInput("'" + line + "' is not an action; give one such as unpause pilOrchestrator");
        }
        return new ChainOperations.ActionLines.Parsed(parsed.spec().target().name(),
                ActionCommand.planningArguments(parsed.spec(), parsed.args()));
    }

    /** Whether a command line runs an action (a schedule never does: it lists it for a person). */
    private static boolean isAction(CommandLineParser parser, String line) {
        try {
            return parser.parse(line).spec().target().kind() == CommandSpec.Kind.ACTION;
        } catch (UsageError e) {
            return false; // the command path refuses it, and the digest says so
        }
    }

    /** A runbook's view of the approval request it waits on. */
    private static RunbookRunner.Gate gate(dev.firebreak.approval.ApprovalRequest request) {
        return switch (request.state()) {
            case PENDING, APPROVED, EXECUTING, SENT -> new RunbookRunner.Gate(request.ref(), RunbookRunner.Gate.Status.UNDECIDED, null);
            case SUCCEEDED -> new RunbookRunner.Gate(request.ref(), RunbookRunner.Gate.Status.SUCCEEDED, "succeeded");
            case FAILED, REJECTED, EXPIRED, CANCELLED -> new RunbookRunner.Gate(request.ref(), RunbookRunner.Gate.Status.FAILED,
                    "did not run (" + (request.result() == null ? request.state().name().toLowerCase(java.util.Locale.ROOT)
                            : request.result()) + ")");
            case UNKNOWN -> new RunbookRunner.Gate(request.ref(), RunbookRunner.Gate.Status.INTERRUPTED, null);
        };
    }

    /** One round of the clock-driven jobs; tests call it with a moved clock. Each job runs even when another fails. */
    public void tick() {
        Map<String, Runnable> jobs = new java.util.LinkedHashMap<>();
        jobs.put("reminders", incidents::remindOverdue);
        jobs.put("escalation", escalations::escalateDue);
        jobs.put("paging", pager::deliverDue);
        jobs.put("approval expiry", approvals::expireDue);
        jobs.put("recording held-back results", approvals::recordResults);
        jobs.put("finishing declarations", incidents::finishDeclarations);
        jobs.put("pushing to Statuspage", statuspage::pushDue);
        jobs.put("watchers", watchers::tick);
        jobs.put("scheduled checks", schedules::runDue);
        jobs.put("checklist reminders", schedules::remindDue);
        jobs.put("timelock operations", timelockReminders::tick);
        for (Map.Entry<String, Runnable> job : jobs.entrySet()) {
            if (closing) return; // the rest waits for the next start
            run(job.getKey(), job.getValue());
        }
    }

    /**
     * Each timelock whose on-chain {@code getMinDelay()} differs from its configured {@code minDelay}, or
     * that does not answer as a timelock (an RPC call per timelock; one not reachable is not judged).
     */
    public List<String> timelockWarnings() {
        return timelockWarnings.get();
    }

    private static void run(String job, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Firebreak.class).warn("Clock-driven job '{}' failed: {}", job, e.toString());
        }
    }

    /**
     * The webhooks this engine serves on the operations server, by path: Alertmanager's, with
     * {@code FIREBREAK_ALERT_TOKEN} from {@code environment} as its bearer token when set, and
     * PagerDuty's, signed with {@code PAGERDUTY_WEBHOOK_SECRET}.
     */
    public Map<String, Webhook> webhooks(Map<String, String> environment) {
        String token = environment.getOrDefault("FIREBREAK_ALERT_TOKEN", "");
        return Map.of(AlertmanagerWebhook.PATH, new AlertmanagerWebhook(alerts,
                        token.isBlank() ? Optional.empty() : Optional.of(new Secret("env FIREBREAK_ALERT_TOKEN", token))),
                PagerDutyWebhook.PATH, pagerDutyWebhook);
    }

    /**
     * What the console runs after each line: delivers what is queued, waits, up to
     * {@code waitForActions}, for the actions and first snapshots that line set off, then delivers
     * again, so their output follows the line. Actions that run longer (a transaction waiting for
     * its receipt) post when they are done.
     */
    public Runnable afterEachLine(Duration waitForActions) {
        long[] seen = {approvals.executionsStarted()};
        java.util.concurrent.atomic.AtomicReference<Set<Long>> waiting = new java.util.concurrent.atomic.AtomicReference<>(Set.of());
        return () -> {
            outbox.deliverDue(); // a kickoff never waits for its snapshot
            approvals.awaitExecutions(seen[0], waiting.get(), waitForActions);
            snapshot.awaitTaken(waitForActions);
            seen[0] = approvals.executionsStarted();
            waiting.set(approvals.requestsWaitingOnOthers());
            outbox.deliverDue();
        };
    }

    /** Waits, up to {@code limit}, for the first snapshots being taken to be queued for posting. */
    public void awaitSnapshots(Duration limit) {
        snapshot.awaitTaken(limit);
    }

    /** PagerDuty's durable queue, for tests that deliver it with a moved clock. */
    public PagerDutyQueue pager() {
        return pager;
    }

    public Engine engine() {
        return engine;
    }

    /** The pages this engine serves on the operations server, by path: the public status page. */
    public Map<String, WebPage> pages() {
        return statusPage.pages();
    }

    /** The command path chat commands take, for tests and benchmarks that drive it without an adapter. */
    public CommandDispatcher commands() {
        return commands;
    }

    /** What commands may name here; {@link ConfigurationCheck} holds every command against it. */
    public Targets targets() {
        return targets;
    }

    /** The engine's command-line parser; {@link ConfigurationCheck} parses every runbook step with it. */
    public CommandLineParser parser() {
        return parser;
    }

    /** The probes by name; {@link ConfigurationCheck} judges every fixed argument given to one with its own {@link Probe#validate}. */
    public Map<String, Probe> probes() {
        return probes;
    }

    /** The actions by name; {@link ConfigurationCheck} judges every fixed argument given to one with its own {@link Action#validate}. */
    public Map<String, Action> actions() {
        return actions;
    }

    /** Targets that cannot be reached exactly as configured; reported at start-up, and every call to them is refused. */
    public List<ConfigProblem> connectionProblems() {
        return connectionProblems;
    }

    public Outbox outbox() {
        return outbox;
    }

    /**
     * The fencing check, with replicas: asked right before every post (the outbox) and before
     * every action runs, approved or direct (the approval gate). A deposed leader sends nothing.
     */
    public void fence(java.util.function.BooleanSupplier leading) {
        outbox.fence(leading);
        approvals.fence(leading);
        pager.fence(leading);
    }

    /**
     * Stops the clock-driven jobs and the work started with the engine (runbook recovery, the schedules'
     * catch-up, the timelock check) and waits for what is under way, at most {@link #STOPPING_WAIT}, so
     * none of it runs on into a store its caller closes next; then the approval executions, the outbox
     * (delivering what is queued) and the resources.
     */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            active = false;
        }
        schedules.stop();
        ticker.shutdown(); // a tick under way finishes its job; no other starts
        long deadline = System.nanoTime() + STOPPING_WAIT.toNanos();
        try {
            boolean stopped = ticker.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (Thread work : starting) stopped &= work.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (!stopped) org.slf4j.LoggerFactory.getLogger(Firebreak.class).info(
                    "Work under way did not finish within {}; stopping without it", dev.firebreak.kernel.Durations.format(STOPPING_WAIT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticker.shutdownNow();
        approvals.close();
        outbox.stop();
        run("delivering what is queued", outbox::deliverDue);
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Firebreak.class).warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
