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
import java.util.List;
import java.util.Map;

/**
 * One approval-gated chain action (pause, unpause, top-up, role change, de-authorisation, a
 * configured call). {@link #plan} resolves the arguments, checks the chain id and simulates;
 * {@link #execute} re-derives the same transaction from the approved canonical form, simulates
 * again, stores the signed bytes, broadcasts, waits for the receipt and confirmations, and reads
 * the post-condition back.
 */
final class ChainTransactionAction implements Action {

    private final String name;
    private final ChainIntents.Resolver resolver;
    private final ChainDirectory directory;
    private final TransactionSender sender;

    ChainTransactionAction(String name, ChainIntents.Resolver resolver, ChainDirectory directory, TransactionSender sender) {
        this.name = name;
        this.resolver = resolver;
        this.directory = directory;
        this.sender = sender;
    }

    @Override
    public PlannedAction plan(Map<String, String> args) {
        TransactionIntent intent = resolver.resolve(args);
        TransactionSender.Simulation simulation;
        try {
            simulation = sender.simulate(intent);
        } catch (ChainUnreachable e) {
            throw new InvalidInput(e.getMessage() + ". Nothing was sent.");
        }
        if (simulation.reverted()) {
            throw new InvalidInput("simulation of " + intent.targetName() + "." + intent.function() + " on " + intent.chain()
                    + " reverted: " + simulation.revertReason() + ". Nothing was sent.");
        }
        return new PlannedAction(name, intent.canonical(), preview(intent, simulation));
    }

    private Message preview(TransactionIntent intent, TransactionSender.Simulation simulation) {
        return Message.builder()
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
        if (execution instanceof Execution.Ungated) {
            return ActionResult.failed("not sent: a chain transaction is sent only through the approval gate");
        }
        String executionKey = execution.key();
        TransactionIntent intent;
        try {
            intent = resolver.resolve(TransactionIntent.inputsOf(plan.canonical()));
        } catch (InvalidInput e) {
            return ActionResult.failed("not sent: the approved action no longer resolves (" + e.getMessage() + ")");
        }
        if (!intent.canonical().equals(plan.canonical())) {
            return ActionResult.failed("not sent: bot/chains.yaml changed since approval, so the transaction would differ; plan and approve it again");
        }
        try {
            SignedTransactions.Stored stored = sender.stored(executionKey).orElse(null);
            if (stored == null) {
                // nothing signed yet for this approval: simulate again right before signing
                TransactionSender.Simulation simulation = sender.simulate(intent);
                if (simulation.reverted()) {
                    return ActionResult.failed("not sent: the simulation before sending reverted: " + simulation.revertReason());
                }
                stored = sender.signAndStore(intent, plan.hash(), executionKey, simulation.gas());
            } else if (!stored.planHash().equals(plan.hash())) {
                return ActionResult.failed("not sent: execution key " + executionKey + " already holds a transaction for another plan");
            }
            return finish(intent, stored);
        } catch (TransactionSender.SendFailed e) {
            return ActionResult.failed(e.getMessage());
        } catch (ChainUnreachable e) {
            return ActionResult.failed(e.getMessage() + " The signed transaction, if any, is stored; execute again to re-broadcast it.");
        }
    }

    private ActionResult finish(TransactionIntent intent, SignedTransactions.Stored stored) {
        sender.broadcast(intent.chain(), stored);
        TransactionSender.Confirmed confirmed = sender.awaitConfirmed(intent.chain(), stored.txHash());
        String what = intent.targetName() + "." + intent.function() + " on " + intent.chain();
        if (!confirmed.succeeded()) {
            return result(false, what + " REVERTED", what + " REVERTED on chain in block " + confirmed.block() + " (tx " + confirmed.txHash() + ")",
                    intent, confirmed, "not checked");
        }
        String check = checkPostCondition(intent);
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

    /** "holds (...)" or "does NOT hold (...)" or "holds trivially". */
    private String checkPostCondition(TransactionIntent intent) {
        ChainClient client = directory.client(intent.chain());
        return switch (intent.postCondition()) {
            case TransactionIntent.None none -> "holds (nothing to check)";
            case TransactionIntent.BalanceAtLeast balance -> {
                BigInteger wei = client.send(w -> w.ethGetBalance(balance.address(), DefaultBlockParameterName.LATEST)).getBalance();
                yield (wei.compareTo(balance.wei()) >= 0 ? "holds" : "does NOT hold") + " (balance now " + Eth.ether(wei) + ")";
            }
            case TransactionIntent.ReadEquals read -> {
                ChainsConfig.ContractSpec contract = directory.contract(read.contract());
                String data = read.read().encode(read.arguments());
                var response = client.send(w -> w.ethCall(Transaction.createEthCallTransaction(null, contract.address(), data),
                        DefaultBlockParameterName.LATEST));
                String revert = Reverts.reason(response);
                if (revert != null) yield "does NOT hold (the read reverted: " + revert + ")";
                List<String> values = read.read().decodeOutputs(response.getValue());
                String actual = values.isEmpty() ? "nothing" : values.getFirst();
                yield (actual.equalsIgnoreCase(read.expected()) ? "holds" : "does NOT hold") + " (read " + actual + ")";
            }
        };
    }
}
