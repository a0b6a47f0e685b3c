package dev.firebreak.probe.chain;

import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's "late execution" of a commit-then-activate contract (ManifestDispatcher): the root it
 * holds as {@code pendingRoot()}, the ETA of its {@code Committed(root, epoch, eta)} event and the
 * contract's own {@code etaGrace()}; a commitment not activated by ETA + grace + 300 s by the chain's
 * time is a warning ({@link LateExecution}, the rule timelock operations are judged by too). The
 * contract must list those two reads and the event in {@code bot/chains.yaml}.
 */
final class CommitmentProbe {

    private static final String ZERO = "0x" + "0".repeat(64);
    private final ChainDirectory directory;

    CommitmentProbe(ChainDirectory directory) {
        this.directory = directory;
    }

    /** How far back a pending root's Committed event is looked for: the probe's {@code blocks}, 50,000 when it has none. */
    static long blocks(Map<String, String> args) {
        return ChainProbes.positive(args.getOrDefault("blocks", "50000"), "blocks");
    }

    Probe.Reading prepare(Map<String, String> args) {
        long blocks = blocks(args);
        String name = args.get("contract");
        ChainsConfig.ContractSpec contract = directory.contract(name);
        FunctionSignature pendingRoot = directory.function(name, "pendingRoot", false).function();
        FunctionSignature etaGrace = directory.function(name, "etaGrace", false).function();
        EventSignature committed = directory.event(name, "Committed");
        return () -> read(name, contract, pendingRoot, etaGrace, committed, blocks);
    }

    /**
     * The commitment waiting for activation on a contract, read as {@code /diag commitment} reads it.
     *
     * @param eta null when its Committed event is not within the last {@code blocks} blocks
     */
    record Pending(String root, String epoch, Instant eta, Duration grace, Instant chainTime, Log log) {}

    /** The commitment on {@code name} now; empty when {@code pendingRoot()} is zero. */
    java.util.Optional<Pending> pending(String name, long blocks) {
        ChainsConfig.ContractSpec contract = directory.contract(name);
        return pending(contract, directory.function(name, "pendingRoot", false).function(),
                directory.function(name, "etaGrace", false).function(), directory.event(name, "Committed"), blocks);
    }

    /**
     * As {@link #pending(String, long)}, for a caller that asks again and again (the reminders'
     * tick): while {@code pendingRoot()} is still {@code known}'s root, its epoch, ETA and grace are
     * taken from {@code known} and only the chain's time is read again, not its Committed event.
     */
    java.util.Optional<Pending> pending(String name, long blocks, Pending known) {
        if (known == null || known.eta() == null) return pending(name, blocks);
        ChainsConfig.ContractSpec contract = directory.contract(name);
        ChainClient client = directory.client(contract.chain());
        String root = read(client, contract, directory.function(name, "pendingRoot", false).function());
        if (!root.equalsIgnoreCase(known.root())) return pending(name, blocks);
        var head = client.send(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
        return java.util.Optional.of(new Pending(known.root(), known.epoch(), known.eta(), known.grace(),
                Instant.ofEpochSecond(head.getTimestamp().longValueExact()), known.log()));
    }

    private java.util.Optional<Pending> pending(ChainsConfig.ContractSpec contract, FunctionSignature pendingRoot,
                                                FunctionSignature etaGrace, EventSignature committed, long blocks) {
        ChainClient client = directory.client(contract.chain());
        String root = read(client, contract, pendingRoot);
        if (root.equalsIgnoreCase(ZERO)) return java.util.Optional.empty();
        Duration grace = Duration.ofSeconds(Long.parseLong(read(client, contract, etaGrace)));
        var head = client.send(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
        long headNumber = head.getNumber().longValueExact();
        Instant now = Instant.ofEpochSecond(head.getTimestamp().longValueExact());
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(Math.max(0, headNumber - blocks + 1))),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(headNumber)), contract.address());
        filter.addSingleTopic(committed.topic());
        filter.addSingleTopic(root);
        EthLog logs = client.send(w -> w.ethGetLogs(filter));
        if (logs.hasError()) throw new ChainUnreachable("eth_getLogs failed: " + logs.getError().getMessage());
        if (logs.getLogs().isEmpty()) return java.util.Optional.of(new Pending(root, null, null, grace, now, null));
        Log log = (Log) logs.getLogs().getLast().get();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        for (String pair : committed.decode(log.getTopics(), log.getData())) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return java.util.Optional.of(new Pending(root, values.getOrDefault("epoch", "?"),
                Instant.ofEpochSecond(Long.parseLong(values.getOrDefault("eta", "0"))), grace, now, log));
    }

    private ProbeResult read(String name, ChainsConfig.ContractSpec contract, FunctionSignature pendingRoot,
                             FunctionSignature etaGrace, EventSignature committed, long blocks) {
        try {
            var found = pending(contract, pendingRoot, etaGrace, committed, blocks);
            if (found.isEmpty()) return ProbeResult.of(Status.OK, name + ": no commitment waits for activation (pendingRoot is zero)");
            Pending pending = found.get();
            String root = pending.root();
            if (pending.eta() == null) {
                return ProbeResult.of(Status.WARNING, name + ": pending root " + root + " has no Committed event in the last " + blocks
                        + " blocks, so its ETA is unknown; run /diag commitment " + name + " with more blocks");
            }
            Duration grace = pending.grace();
            Instant now = pending.chainTime();
            Instant eta = pending.eta();
            Log log = pending.log();
            Instant deadline = LateExecution.deadline(eta, grace);
            boolean late = LateExecution.late(eta, grace, now);
            String what = name + ": root " + root + " (epoch " + pending.epoch() + ") committed with ETA " + eta;
            String summary = late
                    ? what + " is LATE: not activated by ETA + grace " + Durations.format(grace) + " + 300 s (" + deadline + "), "
                    + Durations.format(Duration.between(deadline, now)) + " ago; activate it or roll back (runbook md-late-execution)"
                    : now.isBefore(eta) ? what + ", " + Durations.format(Duration.between(now, eta)) + " from now"
                    : what + ": ready for activation; late after " + deadline;
            return new ProbeResult(late ? Status.WARNING : Status.OK, summary, Message.builder().heading("Commitment on " + name)
                    .field("Pending root", root).field("ETA", eta.toString()).field("Grace", Durations.format(grace) + " (etaGrace())")
                    .field("Late after", deadline + " (ETA + grace + 300 s)").field("Chain time", now.toString())
                    .field("Committed in", "block " + log.getBlockNumber() + ", tx " + log.getTransactionHash())
                    .paragraph((late ? Status.WARNING : Status.OK).icon(), summary).build());
        } catch (ChainUnreachable e) {
            return ProbeResult.of(Status.ERROR, e.getMessage());
        }
    }

    private static String read(ChainClient client, ChainsConfig.ContractSpec contract, FunctionSignature function) {
        String data = function.encode(List.of());
        var response = client.send(w -> w.ethCall(Transaction.createEthCallTransaction(null, contract.address(), data),
                DefaultBlockParameterName.LATEST));
        String revert = Reverts.reason(response);
        if (revert != null || response.getValue() == null || response.getValue().equals("0x")) {
            throw new ChainUnreachable("the read " + function.canonical() + " of " + contract.address() + " did not answer ("
                    + (revert == null ? "no data" : revert) + ")");
        }
        return function.decodeOutputs(response.getValue()).getFirst();
    }
}
