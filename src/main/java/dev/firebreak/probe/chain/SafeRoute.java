package dev.firebreak.probe.chain;

import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Chain actions on a contract whose actions go {@code via} a Safe, behind two gates. Planning
 * builds the Safe transaction (the call, value, operation 0 and the Safe's nonce), computes its
 * domain hash, message hash and safeTxHash here, checks them against the Safe's own
 * {@code getTransactionHash}, simulates the call from the Safe's address, and binds it all, with
 * the owners and threshold, into the plan the chat approves. Once approved, the owners sign in
 * their wallets (on chain with {@code approveHash}, or through the Safe Transaction Service when one
 * is configured, where this proposes it first); this watches both, reports each new
 * signature, and when the threshold is met relays {@code execTransaction} from the contract's
 * signer, which is stored before it is sent like any approved transaction (so a restart after
 * the threshold sends the same bytes, once). It refuses, sending nothing, when the Safe's nonce
 * was used by another transaction, its owners or threshold changed, or the owners did not sign
 * within the Safe's signing window.
 */
final class SafeRoute {

    /** How an approved transaction is signed, stored, sent and checked: {@link ChainTransactionAction#send}. */
    @FunctionalInterface
    interface Relay {
        ActionResult send(TransactionIntent intent, String planHash, Execution execution);
    }

    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration MAX_POLL = Duration.ofSeconds(2);

    private final ChainDirectory directory;
    private final TransactionSender sender;
    private final SafeProposals proposals;
    private final Clock clock;

    SafeRoute(ChainDirectory directory, TransactionSender sender, SafeProposals proposals, Clock clock) {
        this.directory = directory;
        this.sender = sender;
        this.proposals = proposals;
        this.clock = clock;
    }

    static boolean isSafePlan(PlannedAction plan) {
        return plan.canonical().containsKey("safe");
    }

    /** @param fields what the approvers read first besides the Safe transaction (a timelock operation's id, delay, ETA) */
    PlannedAction plan(String name, TransactionIntent call, String safeName, Map<String, String> fields) {
        ChainsConfig.SafeSpec spec = directory.safe(safeName);
        String relayer = Signers.address(directory.config(), call.signer());
        SafeAccount safe = new SafeAccount(directory, spec);
        SafeAccount.State state;
        SafeTransaction transaction;
        String ownHash;
        TransactionSender.Simulation simulation;
        try {
            state = safe.state();
            transaction = transaction(call, spec, state.nonce());
            ownHash = safe.transactionHash(transaction);
            simulation = sender.simulate(call);
        } catch (ChainUnreachable e) {
            throw new InvalidInput(e.getMessage() + ". Nothing was proposed.");
        }
        if (!ownHash.equalsIgnoreCase(transaction.safeTxHash())) {
            throw new InvalidInput("the Safe " + safeName + " computes safeTxHash " + ownHash + " for this transaction, Firebreak "
                    + transaction.safeTxHash() + ": check safes." + safeName + ".version in bot/chains.yaml against the Safe's VERSION(). "
                    + "Nothing was proposed.");
        }
        if (simulation.reverted()) {
            throw new InvalidInput("simulation of " + call.targetName() + "." + call.function() + " from the Safe " + safeName + " on "
                    + call.chain() + " reverted: " + simulation.revertReason() + ". Nothing was proposed.");
        }
        Map<String, String> canonical = new LinkedHashMap<>(call.canonical());
        canonical.put("safe", safeName);
        canonical.put("safeAddress", spec.address());
        canonical.put("safeVersion", spec.version());
        canonical.put("safeNonce", state.nonce().toString());
        canonical.put("safeOperation", "0");
        canonical.put("safeTxHash", transaction.safeTxHash());
        canonical.put("safeSigners", state.signers());
        canonical.put("relayer", call.signer() + " " + relayer);
        Message.Builder builder = Message.builder()
                .heading("Chain action " + name + " through the Safe " + safeName + ": " + call.targetName() + " on " + call.chain());
        fields.forEach(builder::field);
        Message preview = builder
                .field("Chain", call.chain() + " (chain id " + call.chainId() + ")")
                .field("Safe", safeName + " " + spec.address() + " (version " + spec.version() + ", nonce " + state.nonce() + ")")
                .field("Owners", state.owners().size() + ", threshold " + state.threshold() + ": " + String.join(", ", state.owners()))
                .field("To", call.targetName() + " " + call.target())
                .field("Function", call.function() + (call.arguments().isEmpty() ? "" : " " + String.join(", ", call.arguments())))
                .field("Data", call.calldata())
                .field("Value", Eth.ether(call.value()) + " (" + call.value() + " wei)")
                .field("Operation", "0 (call)")
                .field("Domain hash", transaction.domainHash())
                .field("Message hash", transaction.messageHash())
                .field("safeTxHash", transaction.safeTxHash() + " (the Safe's own getTransactionHash agrees)")
                .field("Simulation", "from the Safe's address: succeeded, about " + simulation.gas() + " gas")
                .field("Safe app", spec.service() == null ? "no Transaction Service configured: owners approve on chain"
                        : new SafeTransactionService(spec.service(), spec.address()).link(transaction.safeTxHash()))
                .field("Then", "owners sign (approveHash(" + transaction.safeTxHash() + ") or their wallet); once " + state.threshold()
                        + " have, " + call.signer() + " " + relayer + " relays execTransaction and checks "
                        + call.postCondition().describe() + ". Owners have " + Durations.format(spec.signingWindow())
                        + " after the approval.")
                .build();
        return new PlannedAction(name, canonical, preview);
    }

    ActionResult execute(TransactionIntent call, PlannedAction plan, Execution execution, Relay relay) {
        if (proposals == null) return ActionResult.failed("not proposed: Safe transactions need the store, and none is configured");
        Map<String, String> canonical = plan.canonical();
        Map<String, String> callPart = new LinkedHashMap<>(canonical);
        callPart.keySet().removeIf(key -> key.startsWith("safe") || key.equals("relayer"));
        ChainsConfig.SafeSpec spec = directory.config().safes().get(canonical.get("safe"));
        if (!call.canonical().equals(callPart) || spec == null || !spec.address().equals(canonical.get("safeAddress"))
                || !spec.version().equals(canonical.get("safeVersion"))) {
            return ActionResult.failed("not proposed: bot/chains.yaml changed since approval, so the Safe transaction would differ; "
                    + "plan and approve it again");
        }
        SafeTransaction transaction = transaction(call, spec, new BigInteger(canonical.get("safeNonce")));
        String safeTxHash = transaction.safeTxHash();
        if (!safeTxHash.equals(canonical.get("safeTxHash"))) {
            return ActionResult.failed("not proposed: the Safe transaction no longer hashes to the approved safeTxHash; plan and approve it again");
        }
        // execTransaction, relayed by the contract's signer, is signed and stored once: after a restart the stored bytes
        // are sent again (the intent then only says where to wait and what to check), never a second transaction
        if (sender.stored(execution.key()).isPresent()) {
            return relay.send(relayIntent(call, spec, "0x"), plan.hash(), execution);
        }
        SafeAccount safe = new SafeAccount(directory, spec);
        SafeTransactionService service = spec.service() == null ? null : new SafeTransactionService(spec.service(), spec.address());
        SafeProposals.Proposal proposal = proposals.start(execution.key(), safeTxHash, clock.instant());
        if (service != null && proposal.signedReported() < 0) execution.progress().note(propose(service, spec, transaction));
        Instant deadline = proposal.proposedAt().plus(spec.signingWindow());
        int reported = proposal.signedReported();
        Duration poll = FIRST_POLL;
        while (true) {
            SafeAccount.State state = null;
            List<String> signed = null;
            Map<String, String> offChain = Map.of();
            try {
                state = safe.state();
                String refusal = refusal(canonical, state, deadline);
                if (refusal != null) return ActionResult.failed("not sent: " + refusal + ". Nothing was sent.");
                offChain = service == null ? Map.of() : ownersSignatures(service, safeTxHash, state);
                signed = new ArrayList<>();
                for (String owner : state.owners()) if (offChain.containsKey(owner) || safe.approved(owner, safeTxHash)) signed.add(owner);
            } catch (ChainUnreachable e) {
                // the node did not answer: asked again at the next poll, until the signing window closes
                if (!clock.instant().isBefore(deadline)) {
                    return ActionResult.failed("not sent: the owners' signatures could not be read before the signing window closed at "
                            + deadline + " (" + e.getMessage() + "). Nothing was sent.");
                }
            }
            if (signed != null) {
                execution.progress().waiting(signed.size() + " of " + state.owners().size() + " owners signed, " + state.threshold()
                        + " needed (safeTxHash " + safeTxHash + ")", deadline);
            }
            if (signed != null && signed.size() != reported) {
                execution.progress().note(progress(signed, state, safeTxHash)
                        + (service == null ? "" : ". Safe app: " + service.link(safeTxHash)));
                reported = signed.size();
                proposals.reported(execution.key(), reported);
            }
            if (signed != null && signed.size() >= state.threshold()) {
                List<String> chosen = signed.subList(0, state.threshold());
                return relay.send(relayIntent(call, spec, transaction.execTransactionCall(signatures(chosen, offChain))), plan.hash(),
                        execution);
            }
            LockSupport.parkNanos(poll.toNanos());
            poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
            if (Thread.currentThread().isInterrupted()) {
                throw new TransactionSender.Stopped("stopped while waiting for the owners of the Safe to sign " + safeTxHash
                        + "; watched again at the next start");
            }
        }
    }

    /** Proposes the transaction to the service, signed by its proposer; says how that went (a refusal does not stop the owners). */
    private String propose(SafeTransactionService service, ChainsConfig.SafeSpec spec, SafeTransaction transaction) {
        String proposer = spec.service().proposer();
        if (proposer == null) {
            return "is not proposed to the Safe Transaction Service (no txService.proposer configured): owners approve "
                    + transaction.safeTxHash() + " on chain, or propose it in the Safe app";
        }
        try {
            service.propose(transaction, Signers.credentials(directory.config(), proposer));
            return "proposed to the Safe Transaction Service by " + proposer + ": " + service.link(transaction.safeTxHash());
        } catch (SafeTransactionService.Refused | ChainUnreachable | InvalidInput e) {
            return "could not be proposed to the Safe Transaction Service (" + e.getMessage() + "); owners can still approve "
                    + transaction.safeTxHash() + " on chain (approveHash)";
        }
    }

    /** The service's confirmations that are signatures of the hash by a current owner: nothing else counts. */
    private static Map<String, String> ownersSignatures(SafeTransactionService service, String safeTxHash, SafeAccount.State state) {
        Map<String, String> valid = new LinkedHashMap<>();
        try {
            service.confirmations(safeTxHash).forEach((owner, signature) -> {
                String signer = SafeTransactionService.signer(safeTxHash, signature);
                if (state.owners().contains(owner) && owner.equalsIgnoreCase(signer)) valid.put(owner, signature);
            });
        } catch (SafeTransactionService.Refused | ChainUnreachable e) {
            // the service is optional: the owners' approvals on chain still count
        }
        return valid;
    }

    /** Why the approved Safe transaction can no longer be executed as approved, or null. */
    private String refusal(Map<String, String> canonical, SafeAccount.State state, Instant deadline) {
        BigInteger nonce = new BigInteger(canonical.get("safeNonce"));
        if (state.nonce().compareTo(nonce) > 0) {
            return "the Safe " + canonical.get("safe") + "'s nonce " + nonce + " was used by another Safe transaction (its nonce is now "
                    + state.nonce() + "), so " + canonical.get("safeTxHash") + " can never execute; request the action again";
        }
        if (!state.signers().equals(canonical.get("safeSigners"))) {
            return "the owners or threshold of the Safe " + canonical.get("safe") + " changed since approval (was "
                    + canonical.get("safeSigners") + ", now " + state.signers() + "); request the action again";
        }
        if (!clock.instant().isBefore(deadline)) {
            return "the owners did not sign " + canonical.get("safeTxHash") + " in time: the signing window closed at " + deadline
                    + "; request the action again if it is still needed";
        }
        return null;
    }

    private static String progress(List<String> signed, SafeAccount.State state, String safeTxHash) {
        String who = signed.isEmpty() ? "" : " (" + String.join(", ", signed) + ")";
        if (signed.size() >= state.threshold()) {
            return signed.size() + " of " + state.owners().size() + " owners signed" + who + ": threshold " + state.threshold()
                    + " met, executing";
        }
        return signed.size() + " of " + state.owners().size() + " owners signed" + who + ", " + state.threshold()
                + " needed: owners approve safeTxHash " + safeTxHash + " (approveHash on the Safe, or in their wallet)";
    }

    /**
     * The owners' signatures in ascending owner order, as execTransaction wants them: an owner's
     * signature from the service as it is, or for an owner that called approveHash the
     * pre-validated form (r = owner, s = 0, v = 1).
     */
    static byte[] signatures(List<String> owners, Map<String, String> offChain) {
        List<String> sorted = owners.stream().sorted(java.util.Comparator.comparing(SafeAccount::asNumber)).toList();
        byte[] packed = new byte[65 * sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            String signature = offChain.get(sorted.get(i).toLowerCase());
            if (signature != null) {
                System.arraycopy(Numeric.hexStringToByteArray(signature), 0, packed, 65 * i, 65);
                continue;
            }
            byte[] owner = Numeric.toBytesPadded(SafeAccount.asNumber(sorted.get(i)), 32);
            System.arraycopy(owner, 0, packed, 65 * i, 32);
            packed[65 * i + 64] = 1;
        }
        return packed;
    }

    private static SafeTransaction transaction(TransactionIntent call, ChainsConfig.SafeSpec spec, BigInteger nonce) {
        return new SafeTransaction(call.chainId(), spec.address(), spec.version(), call.target(), call.value(), call.calldata(), 0, nonce);
    }

    /** execTransaction to the Safe from the contract's signer, checked against the call's post-condition. */
    TransactionIntent relayIntent(TransactionIntent call, ChainsConfig.SafeSpec spec, String calldata) {
        return new TransactionIntent(call.chain(), call.chainId(), spec.address(), call.targetName() + " through the Safe",
                "execTransaction for " + call.function(), call.arguments(), calldata, BigInteger.ZERO, call.signer(),
                Signers.address(directory.config(), call.signer()), call.postCondition(), call.inputs());
    }
}
