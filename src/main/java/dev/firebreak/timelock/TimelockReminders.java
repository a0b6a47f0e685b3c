package dev.firebreak.timelock;

import dev.firebreak.alert.AlertIntake;
import dev.firebreak.alert.AlertSignal;
import dev.firebreak.approval.ApprovalRequest;
import dev.firebreak.approval.ApprovalService;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Outbox;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.people.People;
import dev.firebreak.probe.chain.LateExecution;
import dev.firebreak.probe.chain.ScheduledOperations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the clock does for timelock operations Firebreak scheduled: at the ETA, one reminder in the
 * channel of the request that scheduled it (mentioning its requester) with the command that executes
 * it; when it is late by seed 001's rule ({@code probe.chain.LateExecution}: ETA + grace + 300 s by the
 * chain's time), one {@code TimelockExecutionLate} alert through the alert intake, resolved once the
 * operation is done or cancelled. Each is claimed in the store before it is sent, and only the leading
 * replica ticks, so each happens once across restarts and replicas. A commitment waiting on a
 * commit-then-activate contract (ManifestDispatcher) gets the same one reminder at its ETA, in the
 * channel of the request that committed it (the alerts channels when it was seen on chain only),
 * with the command that activates it.
 */
public final class TimelockReminders {

    public static final String SOURCE = "timelock";
    static final String BOT = "firebreak";

    private final ScheduledOperations operations;
    private final Map<String, Long> commitmentWindows;
    private final ApprovalService approvals;
    private final ChatPlatforms platforms;
    private final Outbox outbox;
    private final AlertIntake alerts;
    private final People people;
    private final AuditLog audit;
    private final Clock clock;

    /**
     * @param commitmentWindows the contracts whose commitments are reminded at their ETA (those a chain.commitment watcher
     *                          watches), each with the blocks its watcher reads the Committed event in
     */
    public TimelockReminders(ScheduledOperations operations, Map<String, Long> commitmentWindows, ApprovalService approvals,
                             ChatPlatforms platforms, Outbox outbox, AlertIntake alerts, People people, AuditLog audit, Clock clock) {
        this.operations = operations;
        this.commitmentWindows = Map.copyOf(commitmentWindows);
        this.approvals = approvals;
        this.platforms = platforms;
        this.outbox = outbox;
        this.alerts = alerts;
        this.people = people;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * One round: every open operation is read from its timelock and reminded, alerted or closed as it
     * stands, and every commitment waiting for activation is reminded once its ETA has come.
     */
    public void tick() {
        Instant now = clock.instant();
        for (ScheduledOperations.Status status : operations.open()) {
            switch (status.stage()) {
                case WAITING -> {}
                case READY -> {
                    if (!status.reminded() && operations.claimReminder(status, now)) remind(status);
                    if (status.late() && !status.lateAlerted() && operations.claimLateAlert(status, now)) {
                        alerts.raise(lateSignal(status));
                        audit.record(BOT, "timelock.late", status.operationId(), status.name() + " on " + status.timelock()
                                + ": not executed by " + status.lateAfter());
                    }
                }
                case DONE, CANCELLED -> {
                    if (!operations.close(status, now)) continue;
                    if (status.lateAlerted()) alerts.resolve(lateSignal(status));
                    audit.record(BOT, "timelock." + (status.stage() == ScheduledOperations.Stage.DONE ? "done" : "cancelled"),
                            status.operationId(), status.name() + " on " + status.timelock());
                    if (status.stage() == ScheduledOperations.Stage.CANCELLED) {
                        post(status, Message.builder().heading(Icon.WARNING, "Timelock operation " + status.operationId() + " ("
                                + status.name() + ") is no longer pending on " + status.timelock() + ": it was cancelled").build());
                    }
                }
            }
        }
        for (ScheduledOperations.Commitment commitment : operations.commitments(commitmentWindows)) {
            if (commitment.ready() && !commitment.reminded() && operations.claimReminder(commitment, now)) remind(commitment);
        }
    }

    private void remind(ScheduledOperations.Status status) {
        Optional<ApprovalRequest> request = request(status);
        Message.Builder reminder = Message.builder()
                .heading(Icon.REMINDER, "Timelock operation ready: " + status.name() + " on " + status.timelock())
                .field("Operation id", status.operationId())
                .field("ETA", status.eta() + " (chain time now " + status.chainTime() + ")")
                .field("Scheduled by", request.map(r -> r.ref() + " of " + r.requestedBy()).orElse("unknown"))
                .field("Late after", status.lateAfter() + " (ETA + grace + " + Durations.format(Duration.ofSeconds(300))
                        + "): a TimelockExecutionLate alert is raised then")
                .paragraph("Execute it: /action execute-scheduled " + status.name())
                .note("This is the only reminder.");
        request.ifPresent(r -> people.platformId(r.requestedBy(), r.platform()).ifPresent(id -> reminder.mentions(java.util.List.of(id))));
        post(status, reminder.build());
        audit.record(BOT, "timelock.reminded", status.operationId(), status.name() + " on " + status.timelock() + " ready since "
                + status.eta());
    }

    /** In the channel of the request that sent the commitment, mentioning its requester; without one, in every alerts channel. */
    private void remind(ScheduledOperations.Commitment commitment) {
        Optional<ApprovalRequest> request = commitment.requestRef() == null ? Optional.empty() : approvals.find(commitment.requestRef());
        Message.Builder reminder = Message.builder()
                .heading(Icon.REMINDER, commitment.contract().substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                        + commitment.contract().substring(1) + " commitment epoch " + commitment.epoch() + " is ready to activate")
                .field("Pending root", commitment.root())
                .field("ETA", commitment.eta() + " (chain time now " + commitment.chainTime() + ")")
                .field("Committed by", request.map(r -> r.ref() + " of " + r.requestedBy()).orElse("seen on chain"))
                .field("Late after", commitment.lateAfter() + " (ETA + grace + " + Durations.format(LateExecution.ALERT_AFTER) + ")")
                .paragraph("Activate it: /action contract-call " + commitment.contract() + " activateCommittedRoot")
                .note("This is the only reminder.");
        request.ifPresent(r -> people.platformId(r.requestedBy(), r.platform()).ifPresent(id -> reminder.mentions(java.util.List.of(id))));
        if (request.isPresent()) {
            outbox.enqueue(request.get().platform(), request.get().channelId(), reminder.build());
        } else {
            for (ChatPlatforms.Connected connected : platforms.all()) {
                outbox.enqueue(connected.platform().name(), connected.alerts().id(), reminder.build());
            }
        }
        audit.record(BOT, "commitment.reminded", commitment.contract() + ":" + commitment.epoch(), "root " + commitment.root()
                + " on " + commitment.contract() + " ready since " + commitment.eta());
    }

    /** In the channel of the request that scheduled it; without one, in every platform's alerts channel. */
    private void post(ScheduledOperations.Status status, Message message) {
        Optional<ApprovalRequest> request = request(status);
        if (request.isPresent()) {
            outbox.enqueue(request.get().platform(), request.get().channelId(), message);
            return;
        }
        for (ChatPlatforms.Connected connected : platforms.all()) {
            outbox.enqueue(connected.platform().name(), connected.alerts().id(), message);
        }
    }

    private Optional<ApprovalRequest> request(ScheduledOperations.Status status) {
        return status.requestRef() == null ? Optional.empty() : approvals.find(status.requestRef());
    }

    /** The late alert of one operation: one alert group per operation. */
    static AlertSignal lateSignal(ScheduledOperations.Status status) {
        return new AlertSignal(SOURCE, "TimelockExecutionLate:" + status.operationId().substring(2, 18),
                Map.of("alertname", "TimelockExecutionLate", "timelock", status.timelock(), "operation", status.operationId()),
                "warning", "Timelock operation " + status.name() + " on " + status.timelock() + " is late: ETA " + status.eta()
                + ", not executed by ETA + grace + 300 s (" + status.lateAfter() + "); run /action execute-scheduled " + status.name());
    }
}
