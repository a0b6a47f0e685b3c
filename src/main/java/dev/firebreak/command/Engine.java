package dev.firebreak.command;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.firebreak.approval.ApprovalRequest;
import dev.firebreak.approval.ApprovalService;
import dev.firebreak.approval.ApprovalState;
import dev.firebreak.approval.Vote;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Emoji;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.Reply;
import dev.firebreak.incident.Incident;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.runbook.RunbookRun;
import dev.firebreak.runbook.StepExecutor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine as the chat adapters see it: turns inbound commands into parsed, permitted calls
 * of builtins, probes and actions; routes reactions to approvals and pins to the timeline.
 * No exception reaches chat: bad input gets a private reply that says what to fix.
 */
public final class Engine implements InboundListener {

    private static final Logger log = LoggerFactory.getLogger(Engine.class);
    private static final Duration PROBE_DEADLINE = Duration.ofSeconds(20);

    private final CommandLineParser parser;
    private final People people;
    private final Outbox outbox;
    private final ApprovalService approvals;
    private final Map<String, Probe> probes;
    private final Map<String, Action> actions;
    private final Builtins builtins;
    private final MeterRegistry metrics;
    private final ExecutorService probeThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Cache<String, String> recentMessages = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofDays(2)).build();

    public Engine(CommandLineParser parser, People people, Outbox outbox,
                  ApprovalService approvals, Map<String, Probe> probes, Map<String, Action> actions, Builtins builtins,
                  MeterRegistry metrics) {
        this.parser = parser;
        this.people = people;
        this.outbox = outbox;
        this.approvals = approvals;
        this.probes = Map.copyOf(probes);
        this.actions = Map.copyOf(actions);
        this.builtins = builtins;
        this.metrics = metrics;
    }

    @Override
    public Reply onCommand(Inbound.Command command) {
        Timer.Sample sample = Timer.start(metrics);
        String outcome = "ok";
        try {
            Optional<Person> person = people.byPlatformId(command.platform(), command.userId());
            if (person.isEmpty()) {
                outcome = "unknown-person";
                return Reply.privately("Firebreak does not know you (" + command.platform() + " id " + command.userId()
                        + "). Ask an admin to add that id to your entry in bot/firebreak.yaml.");
            }
            ParsedCommand parsed;
            try {
                parsed = parser.parse(command.text());
            } catch (UsageError e) {
                outcome = "usage";
                return Reply.privately(e.getMessage() + "\nUsage: " + e.usage());
            }
            CommandSpec spec = parsed.spec();
            if (!CommandRegistry.mayRun(person.get(), spec)) {
                outcome = "denied";
                return Reply.privately(spec.path() + " needs the role " + spec.role() + "; you have "
                        + (person.get().roles().isEmpty() ? "no roles" : "the roles " + String.join(", ", person.get().roles()))
                        + ". Ask the incident commander to run it, or an admin to grant the role.");
            }
            Context ctx = new Context(person.get(), command.platform(), command.channelId(), parsed, incidentFor(command, parsed));
            return dispatch(ctx, command.text());
        } catch (InvalidInput e) {
            outcome = "invalid";
            return Reply.privately(e.getMessage());
        } catch (RuntimeException e) {
            outcome = "error";
            String ref = "E-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            log.error("Command failed [{}]: {}", ref, command.text(), e);
            return Reply.privately("Something went wrong inside Firebreak running that command (error " + ref
                    + ", details in the bot's log). Nothing further was changed.");
        } finally {
            sample.stop(metrics.timer("firebreak.commands", "outcome", outcome));
        }
    }

    /** Everything a handler needs to know about where and by whom a command was run. */
    public record Context(Person person, String platform, String channelId, ParsedCommand command, Optional<Incident> incident) {

        public Incident requireIncident() {
            return incident.orElseThrow(() -> new InvalidInput("Run this in an incident channel, or name the incident: "
                    + command.spec().path() + " INC-<number> ..."));
        }
    }

    private Optional<Incident> incidentFor(Inbound.Command command, ParsedCommand parsed) {
        if (parsed.incident().isPresent()) {
            return Optional.of(builtins.incidents().find(parsed.incident().get()).orElseThrow(() ->
                    new InvalidInput("There is no incident INC-" + parsed.incident().get() + "; /incident list shows the open ones.")));
        }
        return builtins.incidents().inChannel(command.platform(), command.channelId());
    }

    private Reply dispatch(Context ctx, String text) {
        ctx.incident().filter(Incident::open).ifPresent(i -> builtins.incidents().appendToTimeline(i, ctx.person().key(), "command", text));
        CommandSpec spec = ctx.command().spec();
        return switch (spec.target().kind()) {
            case BUILTIN -> builtins.run(spec.target().name(), ctx);
            case PROBE -> runProbe(ctx);
            case ACTION -> runAction(ctx);
        };
    }

    private Map<String, String> arguments(ParsedCommand command) {
        Map<String, String> args = new HashMap<>(command.spec().with());
        args.putAll(command.args());
        return args;
    }

    private Reply runProbe(Context ctx) {
        ProbeResult result = probe(ctx.command());
        Message message = Message.builder()
                .paragraph(result.status().emoji() + " `" + (ctx.command().spec().path() + " "
                        + String.join(" ", ctx.command().args().values())).strip() + "`: " + result.summary())
                .append(result.details())
                .build();
        outbox.enqueue(ctx.platform(), ctx.channelId(), message);
        recordDiagnostic(ctx.incident(), ctx.person().key(), ctx.command(), result);
        return Reply.publicly(result.status().emoji() + " " + result.summary());
    }

    private void recordDiagnostic(Optional<Incident> incident, String actor, ParsedCommand command, ProbeResult result) {
        incident.filter(Incident::open).ifPresent(i -> builtins.incidents().record(i, actor, "diagnostic",
                command.spec().path() + ": " + result.status() + " " + result.summary()));
    }

    private ProbeResult probe(ParsedCommand command) {
        Probe probe = probes.get(command.spec().target().name());
        if (probe == null) {
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe " + command.spec().target().name()
                    + " is not available in this deployment");
        }
        Map<String, String> args = arguments(command);
        Future<ProbeResult> future = probeThreads.submit(() -> probe.run(args));
        try {
            return future.get(PROBE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return ProbeResult.of(ProbeResult.Status.ERROR, "no answer within " + PROBE_DEADLINE.toSeconds() + " s; the probe was abandoned");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidInput invalid) throw invalid;
            log.error("Probe {} failed", command.spec().target().name(), e.getCause());
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe failed inside Firebreak ("
                    + e.getCause().getClass().getSimpleName() + "); see the bot's log");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.of(ProbeResult.Status.ERROR, "interrupted");
        }
    }

    /** What became of an action someone ran: refused before planning, waiting for approvals, or run. */
    private sealed interface ActionOutcome {
        record Refused(String reason) implements ActionOutcome {}

        record AwaitingApproval(ApprovalRequest request) implements ActionOutcome {}

        record Ran(ActionResult result) implements ActionOutcome {}
    }

    private Reply runAction(Context ctx) {
        return switch (startAction(ctx, null)) {
            case ActionOutcome.Refused refused -> Reply.privately(refused.reason());
            case ActionOutcome.AwaitingApproval awaiting -> Reply.publicly("Approval request " + awaiting.request().ref()
                    + " posted for " + awaiting.request().action() + ".");
            case ActionOutcome.Ran ran -> Reply.publicly(ran.result().summary());
        };
    }

    /**
     * Plans an action (throws {@link InvalidInput} when it cannot be planned); a gated one becomes an
     * approval request, any other runs at once and its result is posted, timelined and audited.
     */
    private ActionOutcome startAction(Context ctx, Long runbookRun) {
        CommandSpec spec = ctx.command().spec();
        Action action = actions.get(spec.target().name());
        if (action == null) {
            return new ActionOutcome.Refused("The action " + spec.target().name() + " is not available in this deployment.");
        }
        if (!builtins.isActionChannel(ctx.platform(), ctx.channelId())) {
            return new ActionOutcome.Refused("Actions run only in the incidents channel or an incident channel, where everyone can see them.");
        }
        PlannedAction plan = action.plan(arguments(ctx.command()));
        Optional<String> policy = policyFor(spec, action, plan);
        if (policy.isPresent()) {
            return new ActionOutcome.AwaitingApproval(approvals.request(spec.target().name(), plan, policy.get(), ctx.person().key(),
                    ctx.platform(), ctx.channelId(), ctx.incident().filter(Incident::open).orElse(null), runbookRun));
        }
        ActionResult result = action.execute(plan, "direct-" + plan.hash().substring(0, 16) + "-" + System.nanoTime());
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder()
                .heading((result.succeeded() ? ":white_check_mark: " : ":x: ") + plan.action() + " by " + ctx.person().key())
                .append(result.details()).build());
        ctx.incident().filter(Incident::open).ifPresent(i -> builtins.incidents().record(i, ctx.person().key(), "action",
                plan.action() + (result.succeeded() ? " succeeded: " : " failed: ") + result.summary()));
        builtins.audit().record(ctx.person().key(), "action.direct", plan.action(), result.summary() + " [hash " + plan.hash() + "]");
        return new ActionOutcome.Ran(result);
    }

    /**
     * The approval policy an action needs: the command's {@code policy:} and the one the target's
     * configuration asks for this plan, the stricter (higher threshold) when both are set.
     */
    private Optional<String> policyFor(CommandSpec spec, Action action, PlannedAction plan) {
        Optional<String> fromCommand = Optional.ofNullable(spec.policy());
        Optional<String> fromTarget = action.requiredPolicy(plan);
        if (fromCommand.isEmpty() || fromTarget.isEmpty()) return fromCommand.or(() -> fromTarget);
        int commandThreshold = approvals.policy(fromCommand.get()).map(p -> p.threshold()).orElse(0);
        int targetThreshold = approvals.policy(fromTarget.get()).map(p -> p.threshold()).orElse(0);
        return targetThreshold > commandThreshold ? fromTarget : fromCommand;
    }

    /** Runs a runbook step's command line as the person who started the run. */
    public StepExecutor.Outcome runStep(RunbookRun run, String line) {
        Optional<Person> person = people.byKey(run.startedBy());
        if (person.isEmpty()) return new StepExecutor.Failed("the person who started it is no longer configured.");
        ParsedCommand parsed;
        try {
            parsed = parser.parse(line);
        } catch (UsageError e) {
            return new StepExecutor.Failed(e.getMessage() + " Usage: " + e.usage());
        }
        if (!CommandRegistry.mayRun(person.get(), parsed.spec())) {
            return new StepExecutor.Failed(parsed.spec().path() + " needs the role " + parsed.spec().role() + ".");
        }
        Optional<Incident> incident = Optional.ofNullable(run.incidentNumber()).flatMap(builtins.incidents()::find);
        Context ctx = new Context(person.get(), run.platform(), run.channelId(), parsed, incident);
        try {
            switch (parsed.spec().target().kind()) {
                case PROBE -> {
                    ProbeResult result = probe(parsed);
                    recordDiagnostic(incident, run.startedBy(), parsed, result);
                    return new StepExecutor.Done(result.summary(), result.status().name(), result.details());
                }
                case ACTION -> {
                    return switch (startAction(ctx, run.id())) {
                        case ActionOutcome.Refused refused -> new StepExecutor.Failed(refused.reason());
                        case ActionOutcome.AwaitingApproval awaiting ->
                                new StepExecutor.Waiting(awaiting.request().id(), awaiting.request().ref());
                        case ActionOutcome.Ran ran -> ran.result().succeeded()
                                ? new StepExecutor.Done(ran.result().summary(), null, Message.builder().build())
                                : new StepExecutor.Failed(ran.result().summary());
                    };
                }
                default -> {
                    Reply reply = builtins.run(parsed.spec().target().name(), ctx);
                    return new StepExecutor.Done(reply.message().plainText(), null, Message.builder().build());
                }
            }
        } catch (InvalidInput e) {
            return new StepExecutor.Failed(e.getMessage());
        }
    }

    @Override
    public void onReaction(Inbound.Reaction reaction) {
        try {
            if (approvals.onReaction(reaction.platform(), reaction.userId(), reaction.channelId(), reaction.messageId(),
                    reaction.emoji(), reaction.added())) {
                return;
            }
            if (reaction.added() && Emoji.normalise(reaction.emoji()).equals("pushpin")) {
                pinToTimeline(reaction);
            }
        } catch (RuntimeException e) {
            log.error("Reaction handling failed on {} message {}", reaction.platform(), reaction.messageId(), e);
        }
    }

    private void pinToTimeline(Inbound.Reaction reaction) {
        Optional<Incident> incident = builtins.incidents().inChannel(reaction.platform(), reaction.channelId());
        Optional<Person> person = people.byPlatformId(reaction.platform(), reaction.userId());
        if (incident.isEmpty() || person.isEmpty()) return;
        String text = Optional.ofNullable(recentMessages.getIfPresent(reaction.platform() + ":" + reaction.messageId()))
                .orElse("message " + reaction.messageId());
        builtins.incidents().record(incident.get(), person.get().key(), "note", "Pinned: " + text);
        outbox.enqueue(reaction.platform(), reaction.channelId(), Message.text(":pushpin: Added to the timeline of "
                + incident.get().id() + "."));
    }

    @Override
    public void onMessage(Inbound.ChannelMessage message) {
        recentMessages.put(message.platform() + ":" + message.messageId(), message.text());
    }

    @Override
    public List<PendingApprovalMessage> pendingApprovalMessages(String platform) {
        List<PendingApprovalMessage> pending = new ArrayList<>();
        for (ApprovalRequest request : approvals.pending(platform)) {
            approvals.messageIdOf(request).ifPresent(id -> pending.add(new PendingApprovalMessage(request.channelId(), id)));
        }
        return pending;
    }

    @Override
    public void reconcileReactions(String platform, String channelId, String messageId, List<ChatPlatform.ReactionSnapshot> reactions) {
        Optional<ApprovalRequest> request = approvals.requestForMessage(platform, messageId)
                .filter(r -> r.state() == ApprovalState.PENDING);
        if (request.isEmpty()) return;
        var policy = approvals.policy(request.get().policy()).orElseThrow();
        Set<String> counted = new HashSet<>();
        for (Vote vote : approvals.votes(request.get())) {
            counted.add(vote.userId() + " " + Emoji.normalise(vote.decision() == Vote.Decision.APPROVE
                    ? policy.approveEmoji() : policy.rejectEmoji()));
        }
        Set<String> present = new HashSet<>();
        for (ChatPlatform.ReactionSnapshot snapshot : reactions) {
            String emoji = Emoji.normalise(snapshot.emoji());
            for (String user : snapshot.userIds()) {
                present.add(user + " " + emoji);
                if (!counted.contains(user + " " + emoji)) {
                    onReaction(new Inbound.Reaction(platform, user, channelId, messageId, emoji, true));
                }
            }
        }
        for (Vote vote : approvals.votes(request.get())) {
            String emoji = Emoji.normalise(vote.decision() == Vote.Decision.APPROVE ? policy.approveEmoji() : policy.rejectEmoji());
            if (!present.contains(vote.userId() + " " + emoji)) {
                onReaction(new Inbound.Reaction(platform, vote.userId(), channelId, messageId, emoji, false));
            }
        }
    }
}
