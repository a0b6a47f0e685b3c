package dev.firebreak.approval;

import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.Outcome;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;

import dev.firebreak.kernel.Durations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /action pending} (what waits, for whom, who can still approve) and {@code /action cancel
 * A-N} (the requester, the commander of its incident, or anyone with the role commander).
 */
public final class ApprovalCommands {

    static final String COMMANDER = "commander";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ApprovalService approvals;
    private final IncidentService incidents;
    private final Clock clock;

    public ApprovalCommands(ApprovalService approvals, IncidentService incidents, Clock clock) {
        this.approvals = approvals;
        this.incidents = incidents;
        this.clock = clock;
    }

    /** The handlers by the builtin names that {@code commands/action.yaml} points at. */
    public Map<String, CommandHandler> handlers() {
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        handlers.put("action.pending", this::pending);
        handlers.put("action.cancel", this::cancel);
        return handlers;
    }

    private Outcome pending(CommandContext ctx) {
        List<List<String>> rows = new ArrayList<>();
        for (ApprovalService.Waiting waiting : approvals.pending()) {
            ApprovalRequest request = waiting.request();
            if (hiddenHere(request, ctx)) {
                rows.add(List.of(request.ref(), "(in a security incident; ask in its channel)", "", "", "", ""));
                continue;
            }
            rows.add(List.of(request.ref(), ApprovalService.actionName(request) + " " + request.shortHash(), request.requestedBy(),
                    waiting.approvers().size() + "/" + waiting.threshold()
                            + (waiting.approvers().isEmpty() ? "" : " (" + String.join(", ", waiting.approvers()) + ")"),
                    waiting.couldApprove().isEmpty() ? "nobody" : String.join(", ", waiting.couldApprove()),
                    TIME.format(request.expiresAt())));
        }
        Message.Builder message = Message.builder().heading("Waiting for approval")
                .table(List.of("request", "action", "requested by", "approved", "can still approve", "expires"), rows);
        List<List<String>> signing = new ArrayList<>();
        Instant now = clock.instant();
        for (ApprovalService.Approved approved : approvals.waitingOnOthers()) {
            ApprovalRequest request = approved.request();
            if (hiddenHere(request, ctx)) {
                signing.add(List.of(request.ref(), "(in a security incident; ask in its channel)", ""));
                continue;
            }
            Duration left = Duration.between(now, approved.waitingFor().until());
            signing.add(List.of(request.ref(), ApprovalService.actionName(request) + " " + request.shortHash(),
                    approved.waitingFor().what() + ", " + (left.isNegative() || left.isZero() ? "expired"
                            : "expires in " + Durations.format(left.toMinutes() > 0 ? Duration.ofMinutes(left.toMinutes())
                            : Duration.ofSeconds(left.toSeconds())))));
        }
        if (!signing.isEmpty()) {
            message.heading("Approved in chat, waiting for the Safe's owners to sign")
                    .table(List.of("request", "action", "owners"), signing);
        }
        return Outcome.done(Reply.privately(message.build()));
    }

    private Outcome cancel(CommandContext ctx) {
        String ref = ctx.arg("request");
        ApprovalRequest request = approvals.find(ref).orElseThrow(() ->
                new InvalidInput("There is no approval request " + ref + "; /action pending lists the ones waiting."));
        if (hiddenHere(request, ctx) && !request.requestedBy().equals(ctx.actor())) {
            throw new InvalidInput(request.ref() + " belongs to a security incident; cancel it in that incident's channel.");
        }
        Optional<Incident> incident = Optional.ofNullable(request.incidentNumber()).flatMap(incidents::find);
        boolean incidentCommander = incident.flatMap(i -> incidents.holder(i.number(), COMMANDER))
                .filter(ctx.actor()::equals).isPresent();
        if (!request.requestedBy().equals(ctx.actor()) && !ctx.person().hasRole(COMMANDER) && !incidentCommander) {
            throw new InvalidInput("Only " + request.requestedBy() + " (who requested " + request.ref() + "), the commander of "
                    + incident.map(Incident::id).orElse("its incident") + " or someone with the role commander can cancel it.");
        }
        if (request.state() != ApprovalState.PENDING && request.state() != ApprovalState.APPROVED) {
            throw new InvalidInput(request.ref() + " is already " + request.state().name().toLowerCase(java.util.Locale.ROOT)
                    + "; only a request that has not started can be cancelled.");
        }
        if (!approvals.cancel(request, ctx.actor(), "by " + ctx.actor())) {
            throw new InvalidInput(request.ref() + " started or was decided just now; it can no longer be cancelled.");
        }
        return Outcome.done(Reply.publicly(request.ref() + " cancelled."));
    }

    /** A request of a security incident is shown only where the incident's details may be. */
    private boolean hiddenHere(ApprovalRequest request, CommandContext ctx) {
        return Optional.ofNullable(request.incidentNumber()).flatMap(incidents::find)
                .filter(i -> !incidents.detailsVisibleIn(i, ctx.platform(), ctx.channelId()))
                .isPresent();
    }
}
