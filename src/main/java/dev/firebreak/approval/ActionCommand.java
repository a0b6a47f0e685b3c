package dev.firebreak.approval;

import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.Outcome;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.IncidentTimeline;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The way into every action ({@code /action ...} and runbook steps): only where everyone can see
 * it, planned and simulated first, then posted for approval when the command or its target asks
 * for a policy, and run at once only when neither does.
 */
public final class ActionCommand implements CommandHandler {

    private final Map<String, Action> actions;
    private final ApprovalService approvals;
    private final IncidentService incidents;
    private final IncidentTimeline timeline;
    private final ChatPlatforms platforms;
    private final Outbox outbox;

    public ActionCommand(Map<String, Action> actions, ApprovalService approvals, IncidentService incidents,
                         IncidentTimeline timeline, ChatPlatforms platforms, Outbox outbox) {
        this.actions = Map.copyOf(actions);
        this.approvals = approvals;
        this.incidents = incidents;
        this.timeline = timeline;
        this.platforms = platforms;
        this.outbox = outbox;
    }


    @Override
    public Outcome handle(CommandContext ctx) {
        CommandSpec spec = ctx.command().spec();
        Action action = actions.get(spec.target().name());
        if (action == null) {
            return Outcome.refused("The action " + spec.target().name() + " is not available in this deployment.");
        }
        if (!isActionChannel(ctx.platform(), ctx.channelId())) {
            return Outcome.refused("Actions run only in the incidents channel or an incident channel, where everyone can see them.");
        }
        Map<String, String> args = planningArguments(spec, ctx.command().args());
        approvals.refuseWhileRunning(spec.target().name(), ctx.command().args());
        PlannedAction plan = action.plan(args);
        Optional<Incident> incident = incidents.ofCommand(ctx).filter(Incident::open);
        Optional<String> policy = approvals.policyFor(Optional.ofNullable(spec.policy()), action.requiredPolicy(plan));
        if (policy.isPresent()) {
            ApprovalRequest request = approvals.request(spec.target().name(), plan, policy.get(), ctx.actor(),
                    ctx.platform(), ctx.channelId(), incident.orElse(null), ctx.runbookRun().orElse(null));
            return new Outcome.AwaitingApproval(Reply.publicly("Approval request " + request.ref() + " posted for "
                    + request.action() + "."), request.id(), request.ref());
        }
        approvals.refuseUnlessLeading();
        ActionResult result = action.execute(plan, Execution.ungated(ExecutionKeys.forDirectRun(plan)));
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder()
                .heading(result.succeeded() ? Icon.OK : Icon.ERROR, plan.action() + " by " + ctx.actor())
                .append(result.details()).build());
        timeline.record(incident, plan.action(), directRun(plan, result, ctx.actor(), ctx.fromRunbook()));
        Reply reply = Reply.publicly(result.summary());
        return result.succeeded() ? new Outcome.Done(reply, null, Message.builder().build()) : new Outcome.Refused(reply);
    }

    /**
     * What the timeline and the audit log keep of an action run without an approval (an ungated
     * action, such as {@code /action presigned add}), by whoever asked for it.
     */
    public static TimelineEntry directRun(PlannedAction plan, ActionResult result, String actor, boolean fromRunbook) {
        return TimelineEntry.of(TimelineEvent.Type.ACTION, actor,
                        plan.action() + (result.succeeded() ? " succeeded: " : " failed: ") + result.summary())
                .from(fromRunbook ? TimelineEvent.Source.RUNBOOK : TimelineEvent.Source.PERSON)
                .with("hash", plan.hash()).with("approval", "none")
                .with("outcome", result.succeeded() ? "succeeded" : "failed");
    }

    /**
     * What an action is planned with: the command's {@code with:}, the arguments given, and the Safe of
     * its {@code via:} (the command's, never a typed argument). {@code firebreak check} judges fixed
     * arguments with this too.
     */
    public static Map<String, String> planningArguments(CommandSpec spec, Map<String, String> given) {
        Map<String, String> args = new HashMap<>(spec.with());
        args.putAll(given);
        if (spec.viaSafe() != null) args.put(Action.VIA_SAFE, spec.viaSafe());
        return args;
    }

    /** Actions are allowed in the incidents channel and open incident channels only (never in direct messages). */
    private boolean isActionChannel(String platform, String channelId) {
        return platforms.find(platform).map(p -> p.incidents().id().equals(channelId)).orElse(false)
                || incidents.inChannel(platform, channelId).filter(Incident::open).isPresent();
    }
}
