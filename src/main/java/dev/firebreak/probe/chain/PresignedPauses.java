package dev.firebreak.probe.chain;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.StoreUnavailable;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.ProbeResult;
import org.web3j.utils.Numeric;

import javax.sql.DataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pause transactions the Safe's owners signed ahead of time, ready for the moment a contract must
 * be paused at once (seed 002: "PAUSE ALL CONTRACTS (requires multisig) via Gnosis Safe -
 * pre-signed transaction should be ready"). The one place that judges them: {@link #assess} checks
 * a document against the chain (the safeTxHash recomputed here and equal to the Safe's own
 * {@code getTransactionHash}; each signature recovered to a current owner, distinct, in ascending
 * order, at least the threshold; a call, never a delegatecall; the inner call the {@code pause()}
 * of a contract configured with that action; the nonce not passed) and is used by
 * {@link #add adding}, {@link #run running} and {@link #overview listing} them alike.
 * A run relays {@code execTransaction} from the contract's signer through the path of every
 * approved transaction (stored before it is sent, so a restart sends the same bytes once).
 */
final class PresignedPauses {

    /** One stored pre-signed transaction. */
    record Stored(String name, String safe, BigInteger nonce, String safeTxHash, String contract, String document,
                  String signersAtAdd) {}

    /**
     * What a document is now, against the chain: the refusals (nothing may be done with it), whether
     * its nonce passed or is still ahead, whether the owners changed, and a simulation's revert.
     */
    record Assessment(PresignedDocument document, String safeName, ChainsConfig.SafeSpec spec, String contract,
                      TransactionIntent pause, SafeTransaction transaction, SafeAccount.State state, List<String> signers,
                      List<String> refusals, String ownersChanged, String simulationReverted) {

        boolean stale() {
            return state != null && state.nonce().compareTo(document.nonce()) > 0;
        }

        boolean future() {
            return state != null && document.nonce().compareTo(state.nonce()) > 0;
        }

        /** Usable right now: nothing refused, its nonce is the Safe's, the owners as at adding, the simulation passes. */
        boolean ready() {
            return refusals.isEmpty() && !stale() && !future() && ownersChanged == null && simulationReverted == null;
        }

        /** Why it cannot run now, or null when it can. */
        String notReady() {
            if (ownersChanged != null) return ownersChanged + (refusals.isEmpty() ? "" : " (" + String.join("; ", refusals) + ")");
            if (!refusals.isEmpty()) return String.join("; ", refusals);
            if (stale()) return "stale: it was signed for the Safe's nonce " + document.nonce() + ", which another Safe transaction used "
                    + "(the Safe's nonce is now " + state.nonce() + "), so it can never execute; have the owners sign a new one";
            if (future()) return "not usable yet: it is signed for the Safe's nonce " + document.nonce() + " and the Safe is at "
                    + state.nonce() + "; it becomes usable once the Safe transactions before it have executed";
            if (simulationReverted != null) return "its simulation reverts: " + simulationReverted;
            return null;
        }
    }

    private final ChainDirectory directory;
    private final TransactionSender sender;
    private final ChainIntents intents;
    private final ChainTransactionAction pause;
    private final SafeRoute safes;
    private final DataSource dataSource;
    private final Clock clock;
    private final Set<String> pauseCommandSafes;

    /** @param pauseCommandSafes the Safes that commands running {@code chain.pause} name with {@code via:} in {@code commands/} */
    PresignedPauses(ChainDirectory directory, TransactionSender sender, ChainIntents intents, ChainTransactionAction pause,
                    SafeRoute safes, DataSource dataSource, Clock clock, Set<String> pauseCommandSafes) {
        this.pauseCommandSafes = Set.copyOf(pauseCommandSafes);
        this.directory = directory;
        this.sender = sender;
        this.intents = intents;
        this.pause = pause;
        this.safes = safes;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ judging a document

    /** Judges the document against the chain now; {@code signersAtAdd} (the owners when it was added) is null before adding. */
    Assessment assess(PresignedDocument document, String signersAtAdd) {
        List<String> refusals = new ArrayList<>();
        Map.Entry<String, ChainsConfig.SafeSpec> safe = directory.config().safes().entrySet().stream()
                .filter(e -> e.getValue().address().equalsIgnoreCase(document.safe())).findFirst().orElse(null);
        if (safe == null) {
            refusals.add("the Safe " + document.safe() + " is not one of bot/chains.yaml's safes: (" + described(directory.config().safes())
                    + "); add it there first");
            return new Assessment(document, null, null, null, null, null, null, List.of(), refusals, null, null);
        }
        String safeName = safe.getKey();
        ChainsConfig.SafeSpec spec = safe.getValue();
        String contract = directory.config().contracts().entrySet().stream()
                .filter(e -> e.getValue().chain().equals(spec.chain()) && e.getValue().address().equalsIgnoreCase(document.to()))
                .map(Map.Entry::getKey).findFirst().orElse(null);
        TransactionIntent call = null;
        if (contract == null) {
            refusals.add("it calls " + document.to() + ", which is not a contract of bot/chains.yaml on " + spec.chain()
                    + ": a pre-signed transaction must pause a configured contract, nothing else");
        } else {
            try {
                call = intents.pause(Map.of("contract", contract, ChainDirectory.VIA_SAFE, safeName)).intent();
            } catch (InvalidInput e) {
                refusals.add("it calls " + contract + ", which has no pause() among its actions in bot/chains.yaml: a pre-signed "
                        + "transaction must be a configured pause action");
            }
            if (call != null && (!call.calldata().equalsIgnoreCase(document.data()) || document.value().signum() != 0)) {
                refusals.add("it is not a pause: it sends data " + abbreviated(document.data())
                        + (document.value().signum() != 0 ? " and " + document.value() + " wei" : "") + " to " + contract
                        + ", where a pause is exactly " + call.calldata() + " (pause()) with no value");
                call = null;
            }
        }
        SafeAccount account = new SafeAccount(directory, spec);
        SafeAccount.State state;
        SafeTransaction transaction = document.transaction(directory.config().chains().get(spec.chain()).chainId(), spec.version());
        String ownHash;
        try {
            state = account.state();
            ownHash = account.transactionHash(transaction);
        } catch (ChainUnreachable e) {
            refusals.add("the Safe " + safeName + " could not be read (" + e.getMessage() + ")");
            return new Assessment(document, safeName, spec, contract, call, transaction, null, List.of(), refusals, null, null);
        }
        String safeTxHash = transaction.safeTxHash();
        if (!ownHash.equalsIgnoreCase(safeTxHash)) {
            refusals.add("the Safe " + safeName + " computes safeTxHash " + ownHash + " for it, Firebreak " + safeTxHash
                    + ": check safes." + safeName + ".version in bot/chains.yaml against the Safe's VERSION()");
        } else if (document.safeTxHash() != null && !document.safeTxHash().equalsIgnoreCase(safeTxHash)) {
            refusals.add("its safeTxHash " + document.safeTxHash() + " is not the hash of its fields, " + safeTxHash
                    + " (computed here; the Safe's own getTransactionHash agrees): a field was changed after it was signed, "
                    + "or the hash belongs to another transaction");
        }
        List<String> signers = signers(document, safeTxHash, state, account, refusals);
        if (state.nonce().compareTo(document.nonce()) > 0 && signersAtAdd == null) {
            refusals.add("stale: it is signed for the Safe's nonce " + document.nonce() + ", which another Safe transaction already used "
                    + "(the Safe's nonce is " + state.nonce() + "), so it can never execute; have the owners sign one for nonce "
                    + state.nonce() + " or later");
        }
        String ownersChanged = signersAtAdd != null && !signersAtAdd.equals(state.signers())
                ? "the owners or threshold of the Safe " + safeName + " changed since it was added (were " + signersAtAdd + ", now "
                + state.signers() + "); have the current owners sign a new one"
                : null;
        String reverted = null;
        if (refusals.isEmpty() && call != null && state.nonce().compareTo(document.nonce()) <= 0) {
            reverted = simulate(document, spec, call, state);
        }
        return new Assessment(document, safeName, spec, contract, call, transaction, state, signers, List.copyOf(refusals),
                ownersChanged, reverted);
    }

    /**
     * The owners the signatures stand for, checked as the Safe checks them (Safe 1.4.1's
     * checkNSignatures): ECDSA of the safeTxHash (v 27/28) or of its eth_sign form (v 31/32),
     * an owner's on-chain approveHash (v 1, r the owner); contract signatures (v 0) are refused.
     * Each must be a current owner, once, in ascending order, and there must be the threshold.
     */
    private static List<String> signers(PresignedDocument document, String safeTxHash, SafeAccount.State state, SafeAccount account,
                                        List<String> refusals) {
        List<String> signers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        BigInteger last = BigInteger.ZERO;
        List<String> signatures = document.signatureList();
        for (int i = 0; i < signatures.size(); i++) {
            byte[] bytes = Numeric.hexStringToByteArray(signatures.get(i));
            int v = bytes[64] & 0xff;
            String which = "signature " + (i + 1);
            String owner;
            if (v == 0) {
                refusals.add(which + " is a contract signature (v 0, EIP-1271), which Firebreak does not check; have that owner "
                        + "sign with a key (EIP-712 or eth_sign) or call approveHash on the Safe");
                continue;
            } else if (v == 1) {
                owner = "0x" + Numeric.toHexStringNoPrefix(java.util.Arrays.copyOfRange(bytes, 12, 32));
                if (state.owners().contains(owner) && !account.approved(owner, safeTxHash)) {
                    refusals.add(which + " stands for " + owner + "'s approveHash, but " + owner + " has not approved " + safeTxHash
                            + " on the Safe; have them call approveHash(" + safeTxHash + "), or sign it instead");
                    continue;
                }
            } else if (v == 27 || v == 28 || v == 31 || v == 32) {
                owner = SafeTransactionService.signer(safeTxHash, signatures.get(i));
                if (owner == null) {
                    refusals.add(which + " is not a valid signature of " + safeTxHash);
                    continue;
                }
                owner = owner.toLowerCase(java.util.Locale.ROOT);
            } else {
                refusals.add(which + " has v " + v + ", which is none of the Safe's kinds (27/28 EIP-712, 31/32 eth_sign, "
                        + "1 approved hash, 0 contract)");
                continue;
            }
            if (!state.owners().contains(owner)) {
                refusals.add(which + " is by " + owner + ", who is not an owner of the Safe (owners: " + String.join(", ", state.owners())
                        + ")" + (v >= 27 ? "; it may be a signature of another hash than " + safeTxHash : ""));
                continue;
            }
            if (!seen.add(owner)) {
                refusals.add("owner " + owner + " signed twice; each owner counts once");
                continue;
            }
            BigInteger number = SafeAccount.asNumber(owner);
            if (number.compareTo(last) <= 0) {
                refusals.add("the signatures are not in ascending owner order, as the Safe requires (" + owner + " comes after "
                        + Numeric.toHexStringWithPrefixZeroPadded(last, 40) + "); sort them by owner address");
            }
            last = number;
            signers.add(owner);
        }
        if (signers.size() < state.threshold()) {
            refusals.add(signers.size() + " owner(s) signed it validly and the Safe's threshold is " + state.threshold()
                    + " (" + state.signers() + "); have more owners sign");
        }
        return signers;
    }

    /**
     * The revert reason, or null when it would succeed: execTransaction from the relayer when the
     * nonce is the Safe's; for a future nonce, the pause itself from the Safe (the signatures cannot
     * be checked until the Safe reaches it).
     */
    private String simulate(PresignedDocument document, ChainsConfig.SafeSpec spec, TransactionIntent call, SafeAccount.State state) {
        try {
            TransactionSender.Simulation simulation = state.nonce().equals(document.nonce())
                    ? sender.simulate(relayIntent(document, spec, call))
                    : sender.simulate(call);
            return simulation.reverted() ? simulation.revertReason() : null;
        } catch (ChainUnreachable e) {
            return "could not be simulated (" + e.getMessage() + ")";
        }
    }

    private TransactionIntent relayIntent(PresignedDocument document, ChainsConfig.SafeSpec spec, TransactionIntent call) {
        return safes.relayIntent(call, spec, document.transaction(call.chainId(), spec.version())
                .execTransactionCall(Numeric.hexStringToByteArray(document.signatures())));
    }

    // ------------------------------------------------------------------ the actions and the probe

    /** {@code /action presigned add NAME JSON}: checked like a run, stored under its name; nothing is sent. */
    Action add() {
        return new Action() {
            /** Judges the name and the document's form; the planning looks for the name in the store and assesses the document on chain. */
            @Override
            public Planning prepare(Map<String, String> args) {
                String name = name(args.get("name"));
                PresignedDocument document;
                try {
                    document = PresignedDocument.parse(args.get("json"));
                } catch (InvalidInput e) {
                    throw new InvalidInput(e.getMessage() + " Nothing was stored.");
                }
                return () -> plan(name, document, args.get("json"));
            }

            private PlannedAction plan(String name, PresignedDocument document, String json) {
                if (find(name).isPresent()) throw new InvalidInput("a pre-signed transaction named " + name + " exists already; "
                        + "choose another name (/diag presigned lists them). Nothing was stored.");
                Assessment assessment = assess(document, null);
                if (!assessment.refusals().isEmpty()) {
                    throw new InvalidInput("the pre-signed transaction " + name + " is refused: " + String.join("; ", assessment.refusals())
                            + ". Nothing was stored.");
                }
                if (assessment.simulationReverted() != null) {
                    throw new InvalidInput("the pre-signed transaction " + name + " is refused: its simulation reverts ("
                            + assessment.simulationReverted() + "), so it would not pause " + assessment.contract() + ". Nothing was stored.");
                }
                Map<String, String> canonical = new LinkedHashMap<>();
                canonical.put("presigned", name);
                canonical.put("document", json.strip());
                return new PlannedAction("chain.presigned.add", canonical, describe(name, assessment, "Pre-signed pause " + name).build());
            }

            @Override
            public ActionResult execute(PlannedAction plan, Execution execution) {
                String name = plan.canonical().get("presigned");
                Assessment assessment = assess(PresignedDocument.parse(plan.canonical().get("document")), null);
                if (!assessment.refusals().isEmpty()) {
                    return ActionResult.failed("not stored: " + String.join("; ", assessment.refusals()));
                }
                if (!insert(name, assessment, plan.canonical().get("document"))) {
                    return ActionResult.failed("not stored: a pre-signed transaction named " + name + " exists already");
                }
                String summary = "pre-signed pause " + name + " stored: " + assessment.contract() + ".pause() through the Safe "
                        + assessment.safeName() + " at nonce " + assessment.document().nonce() + ", signed by "
                        + String.join(", ", assessment.signers()) + (assessment.future() ? " (usable once the Safe reaches that nonce)" : "");
                return new ActionResult(ActionResult.Outcome.SUCCEEDED, summary,
                        describe(name, assessment, "Pre-signed pause " + name + " stored").build());
            }
        };
    }

    /**
     * {@code /action presigned remove NAME}: forgets a stored one (stale, replaced, or no longer wanted);
     * nothing is sent. An unknown name is answered with the stored ones.
     */
    Action remove() {
        return new Action() {
            /** Judges the name; the planning finds it in the store. */
            @Override
            public Planning prepare(Map<String, String> args) {
                String name = name(args.get("name"));
                return () -> plan(name);
            }

            private PlannedAction plan(String name) {
                Stored stored = find(name).orElseThrow(() -> new InvalidInput("there is no pre-signed transaction named " + name + "; "
                        + storedNames() + ". Nothing was removed."));
                Map<String, String> canonical = new LinkedHashMap<>();
                canonical.put("presigned", name);
                canonical.put("safeTxHash", stored.safeTxHash());
                Message preview = Message.builder().heading("Remove the pre-signed pause " + name)
                        .field("Pauses", stored.contract() + ".pause() through the Safe " + stored.safe())
                        .field("Signed for nonce", stored.nonce().toString())
                        .field("safeTxHash", stored.safeTxHash())
                        .build();
                return new PlannedAction("chain.presigned.remove", canonical, preview);
            }

            @Override
            public ActionResult execute(PlannedAction plan, Execution execution) {
                String name = plan.canonical().get("presigned");
                Stored stored = find(name).orElse(null);
                if (stored == null || !stored.safeTxHash().equalsIgnoreCase(plan.canonical().get("safeTxHash"))) {
                    return ActionResult.failed("not removed: the pre-signed transaction " + name + " is no longer the one named");
                }
                if (!delete(name, stored.safeTxHash())) {
                    return ActionResult.failed("not removed: the pre-signed transaction " + name + " was removed meanwhile");
                }
                return ActionResult.succeeded("pre-signed pause " + name + " removed: it paused " + stored.contract()
                        + " through the Safe " + stored.safe() + " at nonce " + stored.nonce() + " (safeTxHash " + stored.safeTxHash() + ")");
            }
        };
    }

    /** What is stored, for an answer to a name that is not: "stored: a, b" or that none is. */
    private String storedNames() {
        List<String> names = all().stream().map(Stored::name).toList();
        return names.isEmpty() ? "none is stored (/action presigned add NAME JSON adds one)"
                : "stored: " + String.join(", ", names) + " (/diag presigned shows them)";
    }

    /** {@code /action presigned run NAME}: approved in chat, then relayed by the contract's signer once and verified. */
    Action run() {
        return new Action() {
            /** Judges the name; the planning finds the document in the store and assesses it on chain. */
            @Override
            public Planning prepare(Map<String, String> args) {
                String name = name(args.get("name"));
                return () -> plan(name);
            }

            private PlannedAction plan(String name) {
                Stored stored = find(name).orElseThrow(() -> new InvalidInput("there is no pre-signed transaction named " + name
                        + "; /diag presigned lists them. Nothing was sent."));
                Assessment assessment = assess(PresignedDocument.parse(stored.document()), stored.signersAtAdd());
                String notReady = assessment.notReady();
                if (notReady != null) throw new InvalidInput("the pre-signed pause " + name + " cannot run: " + notReady + ". Nothing was sent.");
                TransactionIntent call = assessment.pause();
                Map<String, String> canonical = new LinkedHashMap<>();
                canonical.put("presigned", name);
                canonical.put("chain", call.chain());
                canonical.put("chainId", String.valueOf(call.chainId()));
                canonical.put("contract", assessment.contract());
                canonical.put("target", call.target());
                canonical.put("calldata", call.calldata());
                canonical.put("postCondition", call.postCondition().describe());
                canonical.put("safe", assessment.safeName());
                canonical.put("safeAddress", assessment.spec().address());
                canonical.put("safeNonce", assessment.document().nonce().toString());
                canonical.put("safeTxHash", assessment.transaction().safeTxHash());
                canonical.put("signatures", assessment.document().signatures());
                canonical.put("relayer", call.signer() + " " + Signers.address(directory.config(), call.signer()));
                Message preview = describe(name, assessment, "Run the pre-signed pause " + name + ": " + assessment.contract()
                        + " through the Safe " + assessment.safeName())
                        .field("Simulation", "execTransaction from " + call.signer() + ": succeeded")
                        .field("Then", call.signer() + " relays execTransaction with the owners' signatures and checks "
                                + call.postCondition().describe())
                        .build();
                return new PlannedAction("chain.presigned.run", canonical, preview);
            }

            @Override
            public boolean safeToResume() {
                return true;
            }

            @Override
            public ActionResult execute(PlannedAction plan, Execution execution) {
                if (execution instanceof Execution.Ungated) return ChainTransactionAction.UNGATED;
                Map<String, String> canonical = plan.canonical();
                ChainsConfig.SafeSpec spec = directory.config().safes().get(canonical.get("safe"));
                TransactionIntent call;
                try {
                    call = intents.pause(Map.of("contract", canonical.get("contract"), ChainDirectory.VIA_SAFE, canonical.get("safe"))).intent();
                } catch (InvalidInput e) {
                    return ActionResult.failed("not sent: the approved pause no longer resolves (" + e.getMessage() + ")");
                }
                if (spec == null || !spec.address().equalsIgnoreCase(canonical.get("safeAddress"))
                        || !call.target().equalsIgnoreCase(canonical.get("target"))) {
                    return ActionResult.failed("not sent: bot/chains.yaml changed since approval; request it again");
                }
                // signed and stored once: after a restart the same bytes are sent again, whatever the Safe's nonce is by then
                if (sender.stored(execution.key()).isPresent()) {
                    return pause.send(safes.relayIntent(call, spec, "0x"), plan.hash(), execution);
                }
                Stored stored = find(canonical.get("presigned")).orElse(null);
                if (stored == null || !stored.safeTxHash().equalsIgnoreCase(canonical.get("safeTxHash"))) {
                    return ActionResult.failed("not sent: the pre-signed transaction " + canonical.get("presigned")
                            + " is no longer the one approved");
                }
                PresignedDocument document = PresignedDocument.parse(stored.document());
                Assessment assessment = assess(document, stored.signersAtAdd());
                String notReady = assessment.notReady();
                if (notReady != null) return ActionResult.failed("not sent: " + notReady + ". Nothing was sent.");
                return pause.send(relayIntent(document, spec, call), plan.hash(), execution);
            }
        };
    }

    /**
     * {@code /diag presigned} and its watcher: every stored one with what it is now (ready, stale,
     * not usable yet, owners changed, its simulation reverts), and a warning for each contract that
     * goes through a Safe and can pause when no ready pre-signed pause is left for it (unless it is paused).
     */
    ProbeResult overview() {
        List<List<String>> rows = new ArrayList<>();
        Set<String> readyFor = new HashSet<>();
        for (Stored stored : all()) {
            Assessment assessment = assess(PresignedDocument.parse(stored.document()), stored.signersAtAdd());
            if (assessment.ready()) readyFor.add(stored.contract());
            String state = assessment.ready() ? "ready" : assessment.stale() ? "STALE (the Safe's nonce is now " + assessment.state().nonce() + ")"
                    : assessment.notReady();
            rows.add(List.of(stored.name(), stored.safe(), stored.nonce().toString(), stored.contract() + ".pause()",
                    String.join(", ", assessment.signers()), state));
        }
        List<String> missing = new ArrayList<>();
        new TreeSet<>(directory.config().contracts().keySet()).forEach(name -> {
            Set<String> holders = safesHoldingPause(name);
            if (holders.isEmpty() || readyFor.contains(name)) return;
            TransactionIntent call;
            try {
                call = intents.pause(Map.of("contract", name)).intent();
            } catch (InvalidInput e) {
                return; // it cannot pause: nothing to keep ready
            }
            if (alreadyPaused(call)) return;
            missing.add(name + " (Safe " + String.join(", ", holders) + ")");
        });
        Message.Builder details = Message.builder().heading("Pre-signed pause transactions");
        if (rows.isEmpty()) details.paragraph("None stored. Add one with /action presigned add NAME JSON.");
        else details.table(List.of("name", "Safe", "nonce", "pauses", "signed by", "state"), rows);
        if (!missing.isEmpty()) {
            details.paragraph(dev.firebreak.kernel.Icon.WARNING, "No ready pre-signed pause for " + String.join(", ", missing)
                    + ": have the owners sign one for the Safe's current nonce and add it with /action presigned add.");
        }
        long ready = rows.stream().filter(r -> r.get(5).equals("ready")).count();
        String summary = rows.size() + " pre-signed pause(s), " + ready + " ready"
                + (missing.isEmpty() ? "" : "; none ready for " + String.join(", ", missing));
        return new ProbeResult(missing.isEmpty() ? ProbeResult.Status.OK : ProbeResult.Status.WARNING, summary, details.build());
    }

    /**
     * The Safes a contract's pause goes through, by the one rule of {@link ChainDirectory#safeOf} that
     * routes the action itself: for a pause command without {@code via:} (the contract's own
     * {@code via:} when it covers {@code pause()}) and for each pause command's {@code via:} (a Safe on
     * the contract's chain: one elsewhere cannot call it). Empty: nothing Safe-held to keep ready.
     */
    Set<String> safesHoldingPause(String contractName) {
        ChainsConfig.ContractSpec contract = directory.config().contracts().get(contractName);
        Set<String> holders = new TreeSet<>();
        if (contract == null) return holders;
        String own = directory.safeOf(contractName, PAUSE, Map.of());
        if (own != null) holders.add(own);
        for (String via : pauseCommandSafes) {
            String safe = directory.safeOf(contractName, PAUSE, Map.of(ChainDirectory.VIA_SAFE, via));
            ChainsConfig.SafeSpec spec = directory.config().safes().get(safe);
            if (spec != null && spec.chain().equals(contract.chain())) holders.add(safe);
        }
        return holders;
    }

    private static final String PAUSE = "pause()";

    private boolean alreadyPaused(TransactionIntent call) {
        try {
            return ChainTransactionAction.alreadyHolds(call, pause.observe(call)) != null;
        } catch (ChainUnreachable | InvalidInput e) {
            return false; // unread: warned about as if not paused
        }
    }

    private Message.Builder describe(String name, Assessment a, String heading) {
        return Message.builder().heading(heading)
                .field("Safe", a.safeName() + " " + a.spec().address() + " (version " + a.spec().version() + ", nonce now "
                        + a.state().nonce() + ")")
                .field("Owners", a.state().owners().size() + ", threshold " + a.state().threshold())
                .field("Signed for nonce", a.document().nonce() + (a.future() ? " (not usable until the Safe reaches it)" : ""))
                .field("To", a.contract() + " " + a.pause().target() + ": pause()")
                .field("Operation", "0 (call)")
                .field("safeTxHash", a.transaction().safeTxHash() + " (the Safe's own getTransactionHash agrees)")
                .field("Signed by", String.join(", ", a.signers()));
    }

    private static String name(String given) {
        String name = given == null ? "" : given.strip();
        if (!name.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            throw new InvalidInput("'" + name + "' is not a name for a pre-signed transaction; use lowercase letters, digits and -, "
                    + "e.g. pil-pause-7. Nothing was changed.");
        }
        return name;
    }

    private static String described(Map<String, ChainsConfig.SafeSpec> safes) {
        if (safes.isEmpty()) return "none";
        List<String> shown = new ArrayList<>();
        new TreeSet<>(safes.keySet()).forEach(n -> shown.add(n + " " + safes.get(n).address()));
        return String.join(", ", shown);
    }

    private static String abbreviated(String data) {
        return data.length() > 20 ? data.substring(0, 20) + "..." : data;
    }

    // ------------------------------------------------------------------ the table presigned_safe_transactions

    Optional<Stored> find(String name) {
        return query("SELECT name, safe, safe_nonce, safe_tx_hash, contract, document, signers_at_add FROM presigned_safe_transactions "
                + "WHERE name = ?", name).stream().findFirst();
    }

    List<Stored> all() {
        return query("SELECT name, safe, safe_nonce, safe_tx_hash, contract, document, signers_at_add FROM presigned_safe_transactions "
                + "ORDER BY name", null);
    }

    private List<Stored> query(String sql, String name) {
        if (dataSource == null) return List.of();
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            if (name != null) statement.setString(1, name);
            List<Stored> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Stored(rows.getString(1), rows.getString(2), new BigInteger(rows.getString(3)), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getString(7)));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read presigned_safe_transactions: " + e.getMessage(), e);
        }
    }

    /** Deletes the one stored under the name with that hash; false when it is not there (any more). */
    private boolean delete(String name, String safeTxHash) {
        if (dataSource == null) throw new InvalidInput("pre-signed transactions need the store, and none is configured");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "DELETE FROM presigned_safe_transactions WHERE name = ? AND safe_tx_hash = ?")) {
            statement.setString(1, name);
            statement.setString(2, safeTxHash);
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot remove the pre-signed transaction: " + e.getMessage(), e);
        }
    }

    /** Stores it under its name; false when the name is taken (the first one stays). */
    private boolean insert(String name, Assessment assessment, String document) {
        if (dataSource == null) throw new InvalidInput("pre-signed transactions need the store, and none is configured");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("INSERT INTO presigned_safe_transactions (name, safe, safe_nonce, "
                     + "safe_tx_hash, contract, document, signers_at_add, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, name);
            statement.setString(2, assessment.safeName());
            statement.setString(3, assessment.document().nonce().toString());
            statement.setString(4, assessment.transaction().safeTxHash());
            statement.setString(5, assessment.contract());
            statement.setString(6, document);
            statement.setString(7, assessment.state().signers());
            statement.setString(8, clock.instant().toString());
            statement.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (find(name).isPresent()) return false;
            throw new StoreUnavailable("cannot store the pre-signed transaction: " + e.getMessage(), e);
        }
    }
}
