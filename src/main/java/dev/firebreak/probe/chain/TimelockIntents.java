package dev.firebreak.probe.chain;

import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.InvalidInput;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /action schedule <action...>} and {@code /action execute-scheduled <operation>} as
 * {@link TransactionIntent}s to a {@code TimelockController}. The scheduled call is the one the
 * action would send directly, resolved by that action's own rules; it must be one the
 * configuration routes through the timelock ({@code timelocks.<name>.calls}). Scheduling checks
 * the delay against the configured and the contract's minimum, picks a salt the timelock has not
 * seen for this call, and compares the operation id computed here with the contract's own
 * {@code hashOperation}. Executing is refused before the ETA, and when the operation is done,
 * cancelled or unknown. Both are sent from the timelock's proposer: a Safe (its owners sign) or a key.
 */
final class TimelockIntents {

    /** The longest delay Firebreak schedules: a typo such as 6000h is refused, not waited for. */
    static final Duration MAX_DELAY = Duration.ofDays(30);
    private static final int SALTS = 1000;

    private final ChainDirectory directory;
    private final ChainOperations.ActionLines lines;
    private final Map<String, ChainIntents.Resolver> actions;
    private final TimelockOperations operations;

    TimelockIntents(ChainDirectory directory, ChainOperations.ActionLines lines, Map<String, ChainIntents.Resolver> actions,
                    TimelockOperations operations) {
        this.directory = directory;
        this.lines = lines;
        this.actions = Map.copyOf(actions);
        this.operations = operations;
    }

    /**
     * Judges the words, the delay and the salt against bot/chains.yaml (the scheduled action by its own
     * rules); the resolution reads the timelock's minimum delay, picks a free salt and asks the
     * timelock's hashOperation.
     */
    ChainIntents.Resolution schedule(Map<String, String> args) {
        String text = required(args, "action");
        List<String> words = new ArrayList<>(List.of(text.split("\\s+")));
        String delayText = null;
        for (var it = words.iterator(); it.hasNext(); ) {
            String word = it.next();
            if (word.startsWith("delay=")) {
                if (delayText != null) throw new InvalidInput("delay= is given twice; give it once, e.g. delay=6h");
                delayText = word.substring("delay=".length());
                it.remove();
            }
        }
        String name = String.join(" ", words).trim();
        if (name.isEmpty()) throw new InvalidInput("name the action to schedule, as /action takes it, e.g. /action schedule unpause pilOrchestrator");
        ChainIntents.Resolution inner = inner(name);
        String timelockName = directory.config().timelockOf(inner.targetName(), inner.function()).orElseThrow(() -> new InvalidInput(
                inner.targetName() + "." + inner.function() + " does not go through a timelock"
                        + (directory.config().timelocks().isEmpty() ? " (none is configured)" : "; configured: " + routes())
                        + ". Run it directly (/action " + name + "), or list it under timelocks.<name>.calls in bot/chains.yaml"));
        ChainsConfig.TimelockSpec spec = directory.config().timelocks().get(timelockName);
        Duration delay = delay(delayText, spec, timelockName);
        String givenSalt = args.get("salt") != null ? bytes32(args.get("salt"), "salt") : null;
        return new ChainIntents.Resolution(timelockName, Timelock.SCHEDULE.canonical(), () -> {
            TransactionIntent call = inner.intent();
            if (call.value().signum() != 0) throw new InvalidInput("a transfer of ETH does not go through a timelock here; schedule a contract call");
            Timelock timelock = new Timelock(directory, spec);
            long onChainMinimum;
            try {
                onChainMinimum = timelock.minDelaySeconds();
            } catch (ChainUnreachable e) {
                throw new InvalidInput(e.getMessage() + ". Nothing was scheduled.");
            }
            if (delay.toSeconds() < onChainMinimum) {
                throw new InvalidInput("delay " + Durations.format(delay) + " is below the timelock " + timelockName + "'s getMinDelay() of "
                        + Durations.format(Duration.ofSeconds(onChainMinimum)) + ", which it would refuse"
                        + (onChainMinimum != spec.minDelay().toSeconds() ? " (bot/chains.yaml says minDelay " + Durations.format(spec.minDelay())
                        + ": correct it)" : "") + "; give delay=" + Durations.format(Duration.ofSeconds(onChainMinimum)) + " or more");
            }
            String salt = givenSalt != null ? givenSalt : freeSalt(timelock, call);
            Timelock.Operation operation = new Timelock.Operation(call.target(), call.value(), call.calldata(), Timelock.ZERO, salt);
            String id = operation.id();
            String theirs = timelock.hashOperation(operation);
            if (!theirs.equalsIgnoreCase(id)) {
                throw new InvalidInput("the timelock " + timelockName + " hashes this operation to " + theirs + ", Firebreak to " + id
                        + ": check timelocks." + timelockName + ".address. Nothing was scheduled.");
            }
            Map<String, String> inputs = new LinkedHashMap<>();
            inputs.put("action", text.trim());
            inputs.put("salt", salt);
            return new TransactionIntent(spec.chain(), call.chainId(), spec.address(), timelockName, Timelock.SCHEDULE.canonical(),
                    List.of(call.target(), call.value().toString(), call.calldata(), Timelock.ZERO, salt, String.valueOf(delay.toSeconds())),
                    operation.scheduleCall(delay.toSeconds()), BigInteger.ZERO, signer(spec, call), from(spec),
                    new TransactionIntent.OperationScheduled(timelockName, spec.address(), id, delay.toSeconds(), name), inputs);
        });
    }

    /** Judges how the operation is named; the resolution finds it among those Firebreak scheduled (the store). */
    ChainIntents.Resolution executeScheduled(Map<String, String> args) {
        String wanted = operationName(required(args, "operation"));
        return new ChainIntents.Resolution(null, Timelock.EXECUTE.canonical(), () -> {
            TimelockOperations.Stored stored = find(wanted);
            ChainsConfig.TimelockSpec spec = directory.config().timelocks().get(stored.timelock());
            if (spec == null) throw new InvalidInput("operation " + stored.operationId() + " was scheduled on the timelock " + stored.timelock()
                    + ", which bot/chains.yaml no longer configures; configured: " + directory.config().timelocks().keySet());
            TransactionIntent call = inner(stored.name()).intent();
            Timelock.Operation operation = stored.operation();
            if (!call.target().equalsIgnoreCase(operation.target()) || !call.calldata().equalsIgnoreCase(operation.data())) {
                throw new InvalidInput("'" + stored.name() + "' now resolves to another call than the one scheduled in " + stored.operationId()
                        + " (bot/chains.yaml changed); execute it outside Firebreak or cancel it and schedule it again");
            }
            return new TransactionIntent(spec.chain(), call.chainId(), spec.address(), stored.timelock(), Timelock.EXECUTE.canonical(),
                    operation.arguments(), operation.executeCall(), BigInteger.ZERO, signer(spec, call), from(spec),
                    new TransactionIntent.OperationExecuted(stored.timelock(), spec.address(), stored.operationId(), call.postCondition()),
                    Map.of("operation", stored.operationId()));
        });
    }

    /**
     * Refuses, when it is planned, an execution whose operation is done, cancelled or not ready by the
     * chain's time. Not asked again once approved: a restart after the execution was sent must find its
     * stored transaction, not a refusal because it is done now.
     */
    void refuseUnlessReady(TransactionIntent intent) {
        if (!(intent.postCondition() instanceof TransactionIntent.OperationExecuted executed)) return;
        TimelockOperations.Stored stored = operations.find(intent.targetName(), executed.operationId()).orElseThrow();
        ChainsConfig.TimelockSpec spec = directory.config().timelocks().get(stored.timelock());
        Timelock timelock = new Timelock(directory, spec);
        Timelock.State state;
        Instant now;
        try {
            state = timelock.state(stored.operationId());
            now = timelock.chainTime();
        } catch (ChainUnreachable e) {
            throw new InvalidInput(e.getMessage() + ". Nothing was executed.");
        }
        String what = "operation " + stored.operationId() + " (" + stored.name() + ") on the timelock " + stored.timelock();
        if (state.done()) throw new InvalidInput(what + " is already done: it was executed, and cannot run twice.");
        if (state.unknown()) throw new InvalidInput(what + " is not pending: it was cancelled, or its schedule never landed. "
                + "Schedule it again if it is still needed: /action schedule " + stored.name());
        if (now.isBefore(state.eta())) {
            throw new InvalidInput(what + " is not ready: its ETA is " + state.eta() + ", "
                    + Durations.format(Duration.between(now, state.eta())) + " from now (chain time " + now
                    + "). Firebreak reminds the channel that scheduled it at the ETA.");
        }
    }

    /** An operation as it may be named: its 0x id (lower-cased), or the action it schedules. */
    private static String operationName(String text) {
        String wanted = text.trim().replaceAll("\\s+", " ");
        if (wanted.startsWith("0x") || wanted.startsWith("0X")) {
            if (!wanted.matches("0[xX][0-9a-fA-F]{64}")) throw new InvalidInput("'" + shorten(wanted)
                    + "' is not an operation id; give 0x and 64 hex digits (shown when it was scheduled), or the action it schedules");
            return wanted.toLowerCase();
        }
        return wanted;
    }

    /** A stored operation by its 0x id, or by the action it schedules (the newest one of that name), named as {@link #operationName} reads it. */
    private TimelockOperations.Stored find(String wanted) {
        if (operations == null) throw new InvalidInput("timelock operations need the store, and none is configured");
        List<TimelockOperations.Stored> found = wanted.startsWith("0x") ? operations.byId(wanted) : operations.byName(wanted);
        // the newest of those on a timelock still configured, open ones first
        found = found.stream().filter(o -> directory.config().timelocks().containsKey(o.timelock()))
                .sorted(java.util.Comparator.comparing((TimelockOperations.Stored o) -> o.closedAt() != null)).toList();
        if (found.isEmpty()) throw new InvalidInput("unknown operation '" + shorten(wanted) + "': Firebreak scheduled none with that id "
                + "or action. Schedule one with /action schedule <action>, e.g. /action schedule unpause pilOrchestrator");
        return found.getFirst();
    }

    /** The call the action would send directly, judged by that action's own rules. */
    private ChainIntents.Resolution inner(String line) {
        ChainOperations.ActionLines.Parsed parsed = lines.parse(line);
        ChainIntents.Resolver resolver = actions.get(parsed.action());
        if (resolver == null) throw new InvalidInput("'" + shorten(line) + "' is not a chain action that can go through a timelock; "
                + "give one such as unpause pilOrchestrator");
        return resolver.prepare(parsed.args());
    }

    private Duration delay(String text, ChainsConfig.TimelockSpec spec, String timelockName) {
        if (text == null) return spec.minDelay();
        Duration delay;
        try {
            delay = Durations.parse(text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidInput("delay '" + shorten(text) + "' is not a duration; write e.g. delay=6h or delay=90m");
        }
        if (delay.compareTo(MAX_DELAY) > 0) throw new InvalidInput("delay " + shorten(text) + " is longer than "
                + Durations.format(MAX_DELAY) + ", the most Firebreak schedules; give a shorter one (the timelock's minimum is "
                + Durations.format(spec.minDelay()) + ")");
        if (delay.compareTo(spec.minDelay()) < 0) throw new InvalidInput("delay " + Durations.format(delay) + " is below the minDelay "
                + Durations.format(spec.minDelay()) + " of the timelock " + timelockName + " (bot/chains.yaml); give delay="
                + Durations.format(spec.minDelay()) + " or more, or leave it out");
        return delay;
    }

    /** The first of Firebreak's salts under which the timelock knows no operation of this call. */
    private static String freeSalt(Timelock timelock, TransactionIntent call) {
        for (int n = 0; n < SALTS; n++) {
            String salt = Timelock.salt(n);
            String id = new Timelock.Operation(call.target(), call.value(), call.calldata(), Timelock.ZERO, salt).id();
            if (timelock.state(id).unknown()) return salt;
        }
        throw new InvalidInput("the timelock already holds " + SALTS + " operations of this call; nothing was scheduled");
    }

    /** Who sends: the signer that relays for the Safe (the called contract's signer), or the proposer's own key. */
    private static String signer(ChainsConfig.TimelockSpec spec, TransactionIntent call) {
        return spec.proposer().signer() != null ? spec.proposer().signer() : call.signer();
    }

    private String from(ChainsConfig.TimelockSpec spec) {
        return spec.proposer().safe() != null ? directory.safe(spec.proposer().safe()).address()
                : Signers.address(directory.config(), spec.proposer().signer());
    }

    private String routes() {
        List<String> routes = new ArrayList<>();
        directory.config().timelocks().forEach((name, spec) -> spec.calls().forEach((contract, functions) ->
                functions.forEach(f -> routes.add(contract + "." + FunctionSignature.parse(f).canonical() + " via " + name))));
        return String.join(", ", routes.stream().sorted().toList());
    }

    private static String bytes32(String value, String what) {
        String text = value.trim();
        if (!text.matches("0x[0-9a-fA-F]{64}")) throw new InvalidInput(what + " '" + shorten(text) + "' is not 0x and 64 hex digits");
        return text.toLowerCase();
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null || value.isBlank()) throw new InvalidInput("missing argument '" + name + "'");
        return value.trim();
    }
}
