package dev.firebreak.app;

import dev.firebreak.approval.ApprovalService;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Outbox;
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
import dev.firebreak.incident.IncidentActivity;
import dev.firebreak.incident.IncidentCommands;
import dev.firebreak.incident.IncidentPins;
import dev.firebreak.incident.IncidentTimeline;
import dev.firebreak.runbook.RunbookCatalog;
import dev.firebreak.runbook.RunbookCommands;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.incident.Severity;
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
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcApprovalRepository;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.store.JdbcOncallStore;
import dev.firebreak.store.JdbcPagingEventStore;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.JdbcRunbookRuns;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final Outbox outbox;
    private final IncidentService incidents;
    private final ApprovalService approvals;
    private final RunbookRunner runner;
    private final Escalations escalations;
    private final PagerDutyQueue pager;
    private final PagerDutyWebhook pagerDutyWebhook;
    private final Engine engine;
    private final CommandDispatcher commands;
    private final List<AutoCloseable> resources;
    private final Targets targets;
    private final CommandLineParser parser;
    private final List<ConfigProblem> connectionProblems;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("firebreak-ticker").factory());

    /** A chat platform to connect, and how fast to post in one channel. */
    public record PlatformConnection(ChatPlatform platform, Duration pacePerChannel) {}

    /** The builtin handlers, probes and actions commands may name, by name, as this engine wires them (chain actions apart). */
    public record Targets(Set<String> builtins, Set<String> probes, Set<String> actions, Set<String> chainActions) {}

    private Firebreak(Outbox outbox, IncidentService incidents, ApprovalService approvals, RunbookRunner runner,
                      Escalations escalations, PagerDutyQueue pager, PagerDutyWebhook pagerDutyWebhook, Engine engine,
                      CommandDispatcher commands, List<AutoCloseable> resources, Targets targets, CommandLineParser parser,
                      List<ConfigProblem> connectionProblems) {
        this.commands = commands;
        this.outbox = outbox;
        this.resources = resources;
        this.connectionProblems = connectionProblems;
        this.incidents = incidents;
        this.approvals = approvals;
        this.runner = runner;
        this.escalations = escalations;
        this.pager = pager;
        this.pagerDutyWebhook = pagerDutyWebhook;
        this.engine = engine;
        this.targets = targets;
        this.parser = parser;
    }

    public static Firebreak assemble(FirebreakConfig config, Database database, Clock clock, List<PlatformConnection> connections,
                                     MeterRegistry metrics) {
        People people = new People(config.people());
        AuditLog audit = new JdbcAuditLog(database, clock);
        Outbox outbox = new Outbox(new JdbcOutboxStore(database), clock);
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
        ChainOperations chain = new ChainOperations(config.chains(), new SignedTransactions(database.dataSource()), clock, rpcThreads);
        resources.add(chain);
        resources.add(rpcThreads);
        probes.putAll(chain.probes());
        actions.putAll(chain.actions());
        KubernetesOperations kubernetes = new KubernetesOperations(config.clusters(), clock);
        resources.add(kubernetes);
        List<ConfigProblem> connectionProblems = kubernetes.connectionProblems();
        connectionProblems.forEach(p -> org.slf4j.LoggerFactory.getLogger(Firebreak.class)
                .warn("{}. Every call to that cluster is refused until this is fixed.", p));
        probes.putAll(kubernetes.probes());
        actions.putAll(kubernetes.actions());
        probes.putAll(new SqlOperations(config.databases()).probes());

        CommandRegistry registry = config.commands();
        ApprovalService approvals = new ApprovalService(new JdbcApprovalRepository(database), config.policies(), actions, people,
                platforms, outbox, incidents, timeline, audit, clock);
        RunbookCatalog runbooks = new RunbookCatalog(config.runbooks());
        IncidentCommands incidentCommands = new IncidentCommands(incidents, outbox, runbooks, List.of(approvals::pendingFor), clock);
        IncidentPins pins = new IncidentPins(incidents, people, outbox);
        DiagnosticCommand diagnostics = new DiagnosticCommand(probes, incidents, outbox);
        resources.add(diagnostics);
        ActionCommand actionCommand = new ActionCommand(actions, approvals, incidents, timeline, platforms, outbox);

        incidents.onResolved(approvals::cancelAllOf);
        Map<String, CommandHandler> builtins = new HashMap<>(incidentCommands.handlers());
        builtins.putAll(new ApprovalCommands(approvals, incidents).handlers());
        builtins.put("help", new HelpCommand(registry));
        JdbcOncallStore oncallStore = new JdbcOncallStore(database);
        OnCallRoster roster = new OnCallRoster(config.oncall(), oncallStore);
        PagerDutyQueue pager = new PagerDutyQueue(new JdbcPagingEventStore(database), config.oncall().pagerduty(),
                config.oncall().routingKeys(), outbox, clock);
        resources.add(pager);
        Escalations escalations = new Escalations(config.oncall(), roster, oncallStore, incidents, people, outbox, pager, clock);
        incidents.onDeclared(escalations::declared);
        incidents.onResolved(escalations::resolved);
        // held runbook runs are listed in the handoff; the runner is built once the command path it runs steps on exists
        java.util.concurrent.atomic.AtomicReference<RunbookRunner> runnerOnceBuilt = new java.util.concurrent.atomic.AtomicReference<>();
        IncidentActivity heldRuns = incident -> runnerOnceBuilt.get() == null ? List.of() : runnerOnceBuilt.get().heldFor(incident);
        builtins.putAll(new OncallCommands(roster, escalations, incidents, people, outbox, config.templates(),
                List.of(approvals::pendingFor, heldRuns), clock).handlers());
        CommandLineParser parser = new CommandLineParser(registry,
                Map.of("severity", s -> incidents.severity(s).isPresent(),
                        "person", s -> people.byKey(s).isPresent(),
                        "status", s -> IncidentStatus.parse(s).isPresent()),
                Map.of("severity", "one of " + incidents.severities().stream().map(Severity::id).collect(Collectors.joining(", ")),
                        "person", "one of " + people.all().stream().map(p -> p.key()).collect(Collectors.joining(", ")),
                        "status", "investigating, identified or monitoring"));
        // Runbook steps run every command but /runbook itself, so a runbook cannot start runbooks.
        CommandDispatcher steps = new CommandDispatcher(parser, people, builtins, diagnostics, actionCommand,
                (ctx, line) -> audit.record(ctx.actor(), "command", ctx.platform() + ":" + ctx.channelId(), line),
                incidents::holdsIncidentRole, metrics);
        RunbookRunner runner = new RunbookRunner(new JdbcRunbookRuns(database), outbox, clock,
                (run, line) -> steps.fromRunbook(run.startedBy(), run.platform(), run.channelId(), run.incidentNumber(), run.id(), line),
                (run, template) -> run.incidentNumber() == null ? "(template " + template + " needs an incident)"
                        : incidents.find(run.incidentNumber()).map(i -> incidents.communication(i, template)).orElse(""),
                config.runbooks());
        runnerOnceBuilt.set(runner);
        CommandDispatcher commands = steps.with(new RunbookCommands(runbooks, runner, incidents).handlers());

        metrics.gauge("firebreak.outbox.depth", outbox, Outbox::depth);
        metrics.gauge("firebreak.results.unrecorded", approvals, ApprovalService::resultsWaitingForStore);
        Engine engine = new Engine(commands, List.of(approvals::onReaction, pins::onReaction), List.of(pins::onMessage),
                List.of(approvals::catchUp));
        approvals.onFinished(finished -> metrics.counter("firebreak.approvals.finished",
                "action", finished.request().action(), "outcome", finished.result().succeeded() ? "succeeded" : "failed").increment());
        approvals.onFinished(finished -> {
            if (finished.request().runbookRunId() != null) {
                runner.resume(finished.request().runbookRunId(), finished.result().succeeded(),
                        finished.result().succeeded() ? "succeeded" : "did not run (" + finished.result().summary() + ")");
            }
        });
        PagerDutyWebhook pagerDutyWebhook = new PagerDutyWebhook(config.oncall().pagerduty().webhookSecret(), pager,
                (number, who) -> incidents.find(number).filter(dev.firebreak.incident.Incident::open)
                        .map(incident -> escalations.acknowledge(incident, who, dev.firebreak.incident.TimelineEvent.Source.WEBHOOK))
                        .orElse("INC-" + number + " is no longer open"));
        return new Firebreak(outbox, incidents, approvals, runner, escalations, pager, pagerDutyWebhook, engine, commands, resources,
                new Targets(Set.copyOf(commands.builtinNames()), Set.copyOf(probes.keySet()), Set.copyOf(actions.keySet()),
                        Set.copyOf(chain.actions().keySet())), parser,
                connectionProblems);
    }

    /**
     * Resumes work interrupted by a restart and starts the clock-driven jobs (reminders, expiry,
     * what a store outage held back) and delivery. Returns at once: interrupted actions resume in
     * the background (a transaction waits for its receipt there), so the platforms connect meanwhile.
     */
    public void start(Duration tickEvery) {
        approvals.recover();
        // runs that go on run their steps: in the background, like the actions recovery resumed
        Thread.ofVirtual().name("runbook-recovery").start(() -> run("runbook recovery",
                () -> runner.recover(runId -> approvals.requestOfRun(runId).map(Firebreak::gate))));
        run("finishing declarations", incidents::finishDeclarations);
        outbox.start();
        ticker.scheduleWithFixedDelay(this::tick, tickEvery.toMillis(), tickEvery.toMillis(), TimeUnit.MILLISECONDS);
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
        run("reminders", incidents::remindOverdue);
        run("escalation", escalations::escalateDue);
        run("paging", pager::deliverDue);
        run("approval expiry", approvals::expireDue);
        run("recording held-back results", approvals::recordResults);
        run("finishing declarations", incidents::finishDeclarations);
    }

    private static void run(String job, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Firebreak.class).warn("Clock-driven job '{}' failed: {}", job, e.toString());
        }
    }

    /**
     * What the console runs after each line: waits, up to {@code waitForActions}, for the actions
     * that line set off, then delivers what is queued, so their output follows the line. Actions
     * that run longer (a transaction waiting for its receipt) post when they are done.
     */
    public Runnable afterEachLine(Duration waitForActions) {
        long[] seen = {approvals.executionsStarted()};
        return () -> {
            approvals.awaitExecutions(seen[0], waitForActions);
            seen[0] = approvals.executionsStarted();
            outbox.deliverDue();
        };
    }

    /** The webhooks this engine serves on the operations server, by path: PagerDuty's ({@code PAGERDUTY_WEBHOOK_SECRET}). */
    public Map<String, Webhook> webhooks() {
        return Map.of(PagerDutyWebhook.PATH, pagerDutyWebhook);
    }

    /** PagerDuty's durable queue, for tests that deliver it with a moved clock. */
    public PagerDutyQueue pager() {
        return pager;
    }

    public Engine engine() {
        return engine;
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

    /** Targets that cannot be reached exactly as configured; reported at start-up, and every call to them is refused. */
    public List<ConfigProblem> connectionProblems() {
        return connectionProblems;
    }

    public Outbox outbox() {
        return outbox;
    }

    @Override
    public void close() {
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
