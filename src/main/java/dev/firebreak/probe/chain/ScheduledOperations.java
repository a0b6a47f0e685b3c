package dev.firebreak.probe.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The timelock operations Firebreak scheduled and still watches, each with what its timelock says
 * now ({@code getTimestamp}, judged against the chain's time, as the contract judges it) and
 * whether it is late by {@link LateExecution}; with the claims that make the reminder at the ETA and
 * the late alert happen once, whichever replica or restart gets there first; and the commitments
 * waiting on commit-then-activate contracts (ManifestDispatcher), with the claim that makes the
 * reminder at their ETA happen once.
 */
public final class ScheduledOperations {

    /** Where an operation stands on chain. */
    public enum Stage { WAITING, READY, DONE, CANCELLED }

    /**
     * One operation as of now.
     *
     * @param requestRef the approval request that scheduled it, e.g. {@code A-12}
     * @param lateAfter  the last moment that is not yet late (ETA + grace + 300 s)
     * @param late       READY and past {@code lateAfter} by the chain's time
     */
    public record Status(String timelock, String operationId, String name, String requestRef, Instant eta, Instant chainTime,
                         Stage stage, Instant lateAfter, boolean late, boolean reminded, boolean lateAlerted) {}

    /**
     * A commitment waiting for activation on a commit-then-activate contract (ManifestDispatcher),
     * read as {@code /diag commitment} and the {@code chain.commitment} watcher read it.
     *
     * @param ready      the chain's time is at or past its ETA
     * @param requestRef the approval request that sent it through Firebreak; null when it was seen on chain only
     */
    public record Commitment(String contract, String root, String epoch, Instant eta, Instant chainTime, Instant lateAfter,
                             boolean ready, boolean reminded, String requestRef) {}

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ScheduledOperations.class);

    private final ChainDirectory directory;
    private final TimelockOperations store;
    private final CommitmentReminders commitmentReminders;
    /** The commitment last read per contract, so a tick reads its Committed event only when the pending root changed. */
    private final Map<String, CommitmentProbe.Pending> lastCommitment = new java.util.concurrent.ConcurrentHashMap<>();

    ScheduledOperations(ChainDirectory directory, TimelockOperations store, CommitmentReminders commitmentReminders) {
        this.directory = directory;
        this.store = store;
        this.commitmentReminders = commitmentReminders;
    }

    /**
     * The window a {@code chain.commitment} watcher with these arguments ({@code with:}) reads a
     * pending root's Committed event in: its {@code blocks}, or the probe's default.
     */
    public static long committedBlocks(Map<String, String> watcherArguments) {
        return CommitmentProbe.blocks(watcherArguments);
    }

    /**
     * The commitment waiting on each of these contracts that lists {@code pendingRoot()},
     * {@code etaGrace()} and its {@code Committed} event in {@code bot/chains.yaml}, its Committed
     * event looked for in the contract's window of blocks ({@link #committedBlocks}); a contract whose
     * chain does not answer (logged), or whose Committed event is out of reach, is left for the next round.
     */
    public List<Commitment> commitments(Map<String, Long> windows) {
        if (commitmentReminders == null) return List.of();
        CommitmentProbe probe = new CommitmentProbe(directory);
        List<Commitment> commitments = new ArrayList<>();
        for (var entry : directory.config().contracts().entrySet()) {
            Long blocks = windows.get(entry.getKey());
            if (blocks == null || !committable(entry.getValue())) continue;
            try {
                var pending = probe.pending(entry.getKey(), blocks, lastCommitment.get(entry.getKey()));
                if (pending.isPresent()) lastCommitment.put(entry.getKey(), pending.get());
                else lastCommitment.remove(entry.getKey());
                pending.filter(p -> p.eta() != null).ifPresent(p -> commitments.add(
                        new Commitment(entry.getKey(), p.root(), p.epoch(), p.eta(), p.chainTime(),
                                LateExecution.deadline(p.eta(), p.grace()), !p.chainTime().isBefore(p.eta()),
                                commitmentReminders.reminded(entry.getKey(), p.root(), p.epoch()),
                                commitmentReminders.request(entry.getKey(), p.root()).orElse(null))));
            } catch (ChainUnreachable e) {
                // asked again at the next tick; the message names endpoints by host only, never their URL
                log.warn("the commitment on {} could not be read, tried again at the next tick: {}", entry.getKey(), e.getMessage());
            }
        }
        return commitments;
    }

    /** Whether {@code bot/chains.yaml} lists what a commitment on this contract is read by. */
    static boolean committable(ChainsConfig.ContractSpec contract) {
        return contract.reads().stream().anyMatch(r -> r.startsWith("pendingRoot("))
                && contract.reads().stream().anyMatch(r -> r.startsWith("etaGrace("))
                && contract.events().stream().anyMatch(e -> e.startsWith("Committed("));
    }

    /** True for the one caller that may post the reminder at this commitment's ETA. */
    public boolean claimReminder(Commitment commitment, Instant now) {
        return commitmentReminders.claim(commitment.contract(), commitment.root(), commitment.epoch(), commitment.eta(), now);
    }

    /** Every operation still open, read from its timelock; one whose chain does not answer is left for the next round. */
    public List<Status> open() {
        if (store == null) return List.of();
        List<Status> statuses = new ArrayList<>();
        for (TimelockOperations.Stored operation : store.open()) {
            ChainsConfig.TimelockSpec spec = directory.config().timelocks().get(operation.timelock());
            if (spec == null) continue;
            Timelock timelock = new Timelock(directory, spec);
            try {
                Timelock.State state = timelock.state(operation.operationId());
                Instant now = timelock.chainTime();
                Stage stage = state.done() ? Stage.DONE : state.unknown() ? Stage.CANCELLED
                        : now.isBefore(state.eta()) ? Stage.WAITING : Stage.READY;
                Instant eta = state.pending() ? state.eta() : operation.eta();
                Duration grace = spec.grace();
                statuses.add(new Status(operation.timelock(), operation.operationId(), operation.name(), operation.requestRef(), eta, now,
                        stage, LateExecution.deadline(eta, grace), stage == Stage.READY && LateExecution.late(eta, grace, now),
                        operation.remindedAt() != null, operation.lateAlertedAt() != null));
            } catch (ChainUnreachable e) {
                // asked again at the next tick
            }
        }
        return statuses;
    }

    /** True for the one caller that may post the reminder at the ETA. */
    public boolean claimReminder(Status status, Instant now) {
        return store.claimReminder(status.timelock(), status.operationId(), now);
    }

    /** True for the one caller that may raise the late alert. */
    public boolean claimLateAlert(Status status, Instant now) {
        return store.claimLateAlert(status.timelock(), status.operationId(), now);
    }

    /** Done or cancelled: no longer watched; true for the one caller that closed it. */
    public boolean close(Status status, Instant now) {
        return store.close(status.timelock(), status.operationId(), status.stage().name().toLowerCase(java.util.Locale.ROOT), now);
    }
}
