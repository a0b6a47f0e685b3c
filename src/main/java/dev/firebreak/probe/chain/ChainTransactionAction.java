package dev.firebreak.probe.chain;

import dev.firebreak.kernel.Message;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;

import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One approval-gated chain action (pause, unpause, top-up, role change, de-authorisation, a
 * configured call). {@link #prepare} judges the arguments; its planning builds the transaction, checks the chain id and simulates;
 * {@link #execute} re-derives the same transaction from the approved canonical form, simulates
 * again, reads the post-condition's value, stores it with the signed bytes, broadcasts, waits for
 * the receipt and confirmations however long that takes, and checks that the post-condition
 * changed as the action meant (paused now and not before; the balance risen by the amount).
 */
final class ChainTransactionAction implements Action {

    private final String name;
    private final ChainIntents.Resolver resolver;
    private final ChainDirectory directory;
    private final TransactionSender sender;
    private final SafeRoute safes;
    private final TimelockOperations timelocks;
    private final CommitmentReminders commitments;
    private final Clock clock;
    private final java.util.function.Consumer<TransactionIntent> planCheck;

    ChainTransactionAction(String name, ChainIntents.Resolver resolver, ChainDirectory directory, TransactionSender sender,
                           SafeRoute safes) {
        this(name, resolver, directory, sender, safes, null, null, intent -> {});
    }

    /**
     * @param timelocks where operations this action schedules on a timelock are recorded (null: none are)
     * @param clock     when they were recorded
     * @param planCheck refuses (InvalidInput) what may not be planned now, asked only when planning
     */
    ChainTransactionAction(String name, ChainIntents.Resolver resolver, ChainDirectory directory, TransactionSender sender,
                           SafeRoute safes, TimelockOperations timelocks, Clock clock,
                           java.util.function.Consumer<TransactionIntent> planCheck) {
        this(name, resolver, directory, sender, safes, timelocks, null, clock, planCheck);
    }

    /** @param commitments where commitments this action sends ({@code commitRoot}) are recorded with their request (null: none are) */
    ChainTransactionAction(String name, ChainIntents.Resolver resolver, ChainDirectory directory, TransactionSender sender,
                           SafeRoute safes, TimelockOperations timelocks, CommitmentReminders commitments, Clock clock,
                           java.util.function.Consumer<TransactionIntent> planCheck) {
        this.timelocks = timelocks;
        this.commitments = commitments;
        this.clock = clock;
        this.planCheck = planCheck;
        this.name = name;
        this.resolver = resolver;
        this.directory = directory;
        this.sender = sender;
        this.safes = safes;
    }

    /** Judges the arguments against bot/chains.yaml; the planning builds the transaction, checks the chain id and simulates. */
    @Override
    public Planning prepare(Map<String, String> args) {
        ChainIntents.Resolution resolution = resolver.prepare(args);
        return () -> plan(resolution.intent());
    }

    private PlannedAction plan(TransactionIntent intent) {
        planCheck.accept(intent);
        String safe = safeOf(intent);
        if (safe != null) {
            directory.safeOn(safe, intent.chain(), intent.targetName());
            return safes.plan(name, intent, safe, timelockFields(intent, null));
        }
        TransactionSender.Simulation simulation;
        String already;
        try {
            simulation = sender.simulate(intent);
            already = simulation.reverted() ? null : alreadyHolds(intent, observe(intent));
        } catch (ChainUnreachable e) {
            throw new InvalidInput(e.getMessage() + ". Nothing was sent.");
        }
        if (simulation.reverted()) {
            throw new InvalidInput("simulation of " + intent.targetName() + "." + intent.function() + " on " + intent.chain()
                    + " reverted: " + simulation.revertReason() + ". Nothing was sent.");
        }
        if (already != null) throw new InvalidInput(already + ". Nothing was sent.");
        return new PlannedAction(name, intent.canonical(), preview(intent, simulation));
    }

    /** The Safe a transaction goes through: its contract's {@code via}, or the proposer of the timelock it calls; else null. */
    private String safeOf(TransactionIntent intent) {
        String safe = directory.safeOf(intent.targetName(), intent.function(), intent.inputs());
        if (safe != null) return safe;
        ChainsConfig.TimelockSpec timelock = directory.config().timelocks().get(intent.targetName());
        return timelock != null && intent.postCondition() instanceof TransactionIntent.OperationScheduled
                || timelock != null && intent.postCondition() instanceof TransactionIntent.OperationExecuted
                ? timelock.proposer().safe() : null;
    }

    /**
     * What an approver of a timelock operation reads besides the call: the operation id (the contract's
     * own hashOperation agrees), the delay and the ETA were it sent now, or the ETA it waited for.
     */
    private Map<String, String> timelockFields(TransactionIntent intent, Message.Builder into) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        switch (intent.postCondition()) {
            case TransactionIntent.OperationScheduled s -> {
                fields.put("Timelock", s.timelock() + " " + s.address());
                fields.put("Schedules", s.name());
                fields.put("Operation id", s.operationId() + " (the timelock's own hashOperation agrees)");
                fields.put("Delay", dev.firebreak.kernel.Durations.format(java.time.Duration.ofSeconds(s.delaySeconds()))
                        + " (" + s.delaySeconds() + " s)");
                fields.put("ETA", "about " + new Timelock(directory, directory.config().timelocks().get(s.timelock())).chainTime()
                        .plusSeconds(s.delaySeconds()) + " if scheduled now (the block's time + the delay; the result gives the exact one)");
                fields.put("Then", "/action execute-scheduled " + s.name() + " once the ETA has passed; Firebreak reminds here at the ETA");
            }
            case TransactionIntent.OperationExecuted e -> {
                Timelock timelock = new Timelock(directory, directory.config().timelocks().get(e.timelock()));
                fields.put("Timelock", e.timelock() + " " + e.address());
                fields.put("Operation id", e.operationId());
                fields.put("ETA", timelock.state(e.operationId()).eta() + " (passed: chain time " + timelock.chainTime() + ")");
            }
            default -> {}
        }
        if (into != null) fields.forEach(into::field);
        return fields;
    }

    private Message preview(TransactionIntent intent, TransactionSender.Simulation simulation) {
        Message.Builder builder = Message.builder();
        timelockFields(intent, builder);
        return builder
                .heading("Chain action " + name + ": " + intent.targetName() + " on " + intent.chain())
                .field("Chain", intent.chain() + " (chain id " + intent.chainId() + ")")
                .field("Target", intent.targetName() + " " + intent.target())
                .field("Function", intent.function())
                .field("Arguments", encodedArguments(intent))
                .field("Calldata", intent.calldata())
                .field("Value", Eth.ether(intent.value()) + " (" + intent.value() + " wei)")
                .field("From", intent.signer() + " " + intent.from())
                .field("Simulation", "succeeded, about " + simulation.gas() + " gas")
                .field("Then check", intent.postCondition().describe())
                .build();
    }

    /** Records an operation about to be scheduled, so /action execute-scheduled and the reminders find it. */
    private void recordOperation(TransactionIntent intent, Execution execution) {
        if (!(intent.postCondition() instanceof TransactionIntent.OperationScheduled s) || timelocks == null) return;
        List<String> args = intent.arguments();
        timelocks.record(s.timelock(), s.operationId(), s.name(), new Timelock.Operation(args.get(0), new BigInteger(args.get(1)),
                args.get(2), args.get(3), args.get(4)), s.delaySeconds(),
                execution instanceof Execution.Approved approved ? approved.ref() : null, clock.instant());
    }

    /** Records a commitment about to be sent with its request, so the reminder at its ETA goes to that request's channel. */
    private void recordCommitment(TransactionIntent intent, Execution execution) {
        if (commitments == null || !(execution instanceof Execution.Approved approved)) return;
        if (!intent.function().startsWith("commitRoot(") || !ScheduledOperations.committable(directory.contract(intent.targetName()))) return;
        String root = FunctionSignature.parse(intent.function()).decodeInputs(intent.calldata()).getFirst();
        commitments.requested(intent.targetName(), root, approved.ref(), clock.instant());
    }

    /**
     * The arguments as the calldata encodes them, decoded back from it with their types, so what
     * an approver reads is what is sent; a name typed for a value (a role) is shown next to it.
     */
    private static String encodedArguments(TransactionIntent intent) {
        if (intent.arguments().isEmpty()) return "none";
        FunctionSignature function = FunctionSignature.parse(intent.function());
        List<String> decoded = function.decodeInputs(intent.calldata());
        List<String> shown = new java.util.ArrayList<>();
        for (int i = 0; i < decoded.size(); i++) {
            String typed = i < intent.arguments().size() ? intent.arguments().get(i).trim() : "";
            shown.add(function.inputs().get(i) + " " + decoded.get(i)
                    + (typed.isEmpty() || typed.equalsIgnoreCase(decoded.get(i)) ? "" : " (" + typed + ")"));
        }
        return String.join(", ", shown);
    }

    /** The signed bytes are stored before broadcasting, so a resumed execution re-sends the same transaction. */
    @Override
    public boolean safeToResume() {
        return true;
    }

    @Override
    public ActionResult execute(PlannedAction plan, Execution execution) {
        if (execution instanceof Execution.Ungated) return UNGATED;
        TransactionIntent intent;
        try {
            intent = resolver.resolve(TransactionIntent.inputsOf(plan.canonical()));
        } catch (InvalidInput e) {
            return ActionResult.failed("not sent: the approved action no longer resolves (" + e.getMessage() + ")");
        }
        if (SafeRoute.isSafePlan(plan)) {
            if (intent.postCondition() instanceof TransactionIntent.OperationScheduled && sender.stored(execution.key()).isEmpty()) {
                recordOperation(intent, execution);
            }
            recordCommitment(intent, execution);
            return safes.execute(intent, plan, execution, this::send);
        }
        if (!intent.canonical().equals(plan.canonical())) {
            return ActionResult.failed("not sent: bot/chains.yaml changed since approval, so the transaction would differ; plan and approve it again");
        }
        recordOperation(intent, execution);
        recordCommitment(intent, execution);
        return send(intent, plan.hash(), execution);
    }

    /** What an execution outside the approval gate gets: every chain transaction goes through {@link #send}, which refuses it. */
    static final ActionResult UNGATED = ActionResult.failed("not sent: a chain transaction is sent only through the approval gate");

    /**
     * Simulates, signs and stores the transaction under the execution key (or takes the one
     * stored there), sends it and waits for it: the path of every approved chain transaction,
     * a Safe's {@code execTransaction} included.
     */
    ActionResult send(TransactionIntent intent, String planHash, Execution execution) {
        if (execution instanceof Execution.Ungated) return UNGATED;
        String executionKey = execution.key();
        SignedTransactions.Stored stored;
        try {
            stored = sender.stored(executionKey).orElse(null);
            if (stored == null) {
                // asked again here: a Safe relay comes after the owners' signatures, which may take an hour
                execution.checkStillLeading(intent.targetName() + "." + intent.function());
                // nothing signed yet for this approval: simulate again and read the state right before signing
                TransactionSender.Simulation simulation = sender.simulate(intent);
                if (simulation.reverted()) {
                    return ActionResult.failed("not sent: the simulation before sending reverted: " + simulation.revertReason());
                }
                String before = observe(intent);
                String already = alreadyHolds(intent, before);
                if (already != null) return ActionResult.failed("not sent: " + already);
                stored = sender.signAndStore(intent, planHash, executionKey, simulation.gas(), before);
            } else if (!stored.planHash().equals(planHash)) {
                return ActionResult.failed("not sent: execution key " + executionKey + " already holds a transaction for another plan");
            }
        } catch (TransactionSender.SendFailed e) {
            return ActionResult.failed(e.getMessage());
        } catch (ChainUnreachable e) {
            return ActionResult.failed("not sent: " + e.getMessage());
        }
        try {
            return finish(intent, stored, execution);
        } catch (TransactionSender.SendFailed e) {
            return ActionResult.failed(e.getMessage());
        }
    }

    /** Sends the stored bytes (again), then waits for them: once signed, a transaction is pending until it is settled. */
    private ActionResult finish(TransactionIntent intent, SignedTransactions.Stored stored, Execution execution) {
        execution.checkStillLeading("tx " + stored.txHash());
        try {
            sender.broadcast(intent.chain(), stored);
        } catch (ChainUnreachable e) {
            // the node may have it; waiting sends the same bytes again if it does not
        }
        int confirmations = directory.client(intent.chain()).spec().confirmations();
        execution.progress().sent("sent tx " + stored.txHash() + " (nonce " + stored.nonce() + " of " + intent.signer()
                + "), waiting for its receipt and " + confirmations + " confirmation(s)");
        TransactionSender.Confirmed confirmed = sender.awaitConfirmed(intent.chain(), stored);
        String what = intent.targetName() + "." + intent.function() + " on " + intent.chain();
        if (!confirmed.succeeded()) {
            return result(false, what + " REVERTED", what + " REVERTED on chain in block " + confirmed.block() + " (tx " + confirmed.txHash() + ")",
                    intent, confirmed, "not checked");
        }
        String check = checkPostCondition(intent, stored.beforeValue(), confirmed.block());
        boolean holds = check.startsWith("holds");
        return result(holds, what + (holds ? " confirmed and verified" : " confirmed, but the post-condition does NOT hold"),
                what + " confirmed in block " + confirmed.block() + " (" + confirmed.confirmations()
                + " confirmation(s), tx " + confirmed.txHash() + "); " + intent.postCondition().describe() + ": " + check,
                intent, confirmed, check);
    }

    private static ActionResult result(boolean ok, String heading, String summary, TransactionIntent intent,
                                       TransactionSender.Confirmed confirmed, String check) {
        Message details = Message.builder().heading(heading)
                .field("Transaction", confirmed.txHash())
                .field("Block", String.valueOf(confirmed.block()))
                .field("Confirmations", String.valueOf(confirmed.confirmations()))
                .field("Post-condition", intent.postCondition().describe() + ": " + check)
                .build();
        return new ActionResult(ok ? ActionResult.Outcome.SUCCEEDED : ActionResult.Outcome.FAILED, summary, details);
    }

    /**
     * What the post-condition reads now: the balance in wei, or the read's value (null when
     * nothing is checked). Read before signing, so the check afterwards sees the change.
     */
    String observe(TransactionIntent intent) {
        return observe(intent, intent.postCondition());
    }

    private String observe(TransactionIntent intent, TransactionIntent.PostCondition condition) {
        ChainClient client = directory.client(intent.chain());
        return switch (condition) {
            case TransactionIntent.None none -> null;
            case TransactionIntent.OperationScheduled s -> timelock(s.timelock()).state(s.operationId()).timestamp().toString();
            case TransactionIntent.OperationExecuted e -> timelock(e.timelock()).state(e.operationId()).timestamp() + "|"
                    + observe(intent, e.call());
            case TransactionIntent.BalanceRisesBy balance ->
                    client.send(w -> w.ethGetBalance(balance.address(), DefaultBlockParameterName.LATEST)).getBalance().toString();
            case TransactionIntent.ReadEquals read -> {
                ChainsConfig.ContractSpec contract = directory.contract(read.contract());
                String data = read.read().encode(read.arguments());
                var response = client.send(w -> w.ethCall(Transaction.createEthCallTransaction(null, contract.address(), data),
                        DefaultBlockParameterName.LATEST));
                if (Reverts.reason(response) != null) throw new ChainUnreachable("chain '" + intent.chain() + "': the read "
                        + read.describe() + " reverted: " + Reverts.reason(response));
                List<String> values = read.read().decodeOutputs(response.getValue());
                yield values.isEmpty() ? "nothing" : values.getFirst();
            }
        };
    }

    private Timelock timelock(String name) {
        return new Timelock(directory, directory.config().timelocks().get(name));
    }

    /** Why sending would change nothing (the read already has the expected value), or null. */
    static String alreadyHolds(TransactionIntent intent, String before) {
        return alreadyHolds(intent.postCondition(), before);
    }

    private static String alreadyHolds(TransactionIntent.PostCondition condition, String before) {
        return switch (condition) {
            case TransactionIntent.ReadEquals read when read.expected().equalsIgnoreCase(before) ->
                    read.describe() + " already holds (read " + before + "), so this action would change nothing";
            case TransactionIntent.OperationScheduled s when !"0".equals(before) ->
                    "the timelock " + s.timelock() + " already holds operation " + s.operationId() + " (getTimestamp " + before
                            + "), so scheduling it again would revert";
            case TransactionIntent.OperationExecuted e -> {
                String[] parts = before.split("\\|", 2);
                if ("1".equals(parts[0])) yield "operation " + e.operationId() + " is already done";
                yield alreadyHolds(e.call(), parts.length > 1 && !"null".equals(parts[1]) ? parts[1] : null);
            }
            default -> null;
        };
    }

    /**
     * "holds (...)" or "does NOT hold (...)": whether the action made the change it was meant to,
     * judged against {@code before}, what was read before signing (null for a transaction stored
     * before Firebreak kept it: then only the value now is judged).
     */
    private String checkPostCondition(TransactionIntent intent, String before, long block) {
        return checkPostCondition(intent, intent.postCondition(), before, block);
    }

    private String checkPostCondition(TransactionIntent intent, TransactionIntent.PostCondition condition, String before, long block) {
        String after = observe(intent, condition);
        return switch (condition) {
            case TransactionIntent.None none -> "holds (nothing to check)";
            case TransactionIntent.OperationScheduled s -> {
                java.time.Instant expected = timelock(s.timelock()).blockTime(block).plusSeconds(s.delaySeconds());
                boolean holds = new BigInteger(after).equals(BigInteger.valueOf(expected.getEpochSecond()));
                if (holds && timelocks != null) timelocks.scheduled(s.timelock(), s.operationId(), expected);
                yield (holds ? "holds" : "does NOT hold") + " (operation " + s.operationId() + " pending, ETA "
                        + (holds ? expected + " = block " + block + "'s time + " + s.delaySeconds() + " s"
                        : "read " + after + ", expected " + expected.getEpochSecond()) + ")";
            }
            case TransactionIntent.OperationExecuted e -> {
                boolean done = after.startsWith("1|");
                String[] parts = before == null ? new String[0] : before.split("\\|", 2);
                String call = checkPostCondition(intent, e.call(), parts.length > 1 && !"null".equals(parts[1]) ? parts[1] : null, block);
                yield (done && call.startsWith("holds") ? "holds" : "does NOT hold") + " (operation " + e.operationId()
                        + (done ? " done" : " NOT done") + "; " + e.call().describe() + ": " + call + ")";
            }
            case TransactionIntent.BalanceRisesBy balance -> {
                BigInteger now = new BigInteger(after);
                if (before == null) yield "holds only if it rose (balance now " + Eth.ether(now) + "; the balance before was not kept)";
                BigInteger was = new BigInteger(before);
                BigInteger rise = now.subtract(was);
                yield (rise.compareTo(balance.wei()) >= 0 ? "holds" : "does NOT hold") + " (balance was " + Eth.ether(was)
                        + ", now " + Eth.ether(now) + (rise.compareTo(balance.wei()) >= 0 ? "" : ", a change of " + Eth.ether(rise)) + ")";
            }
            case TransactionIntent.ReadEquals read -> {
                boolean expected = after.equalsIgnoreCase(read.expected());
                if (before == null) yield (expected ? "holds" : "does NOT hold") + " (read " + after + ")";
                boolean changed = !before.equalsIgnoreCase(after);
                yield (expected && changed ? "holds" : "does NOT hold") + " (was " + before + ", now " + after + ")";
            }
        };
    }
}
