package dev.firebreak.probe.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthGasPrice;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The read-only chain diagnostics; each method is one probe's {@link Probe#prepare}: it judges the
 * arguments (those that stand on their own first) and returns the reading that calls the chain.
 * RPC failures become ERROR results.
 */
final class ChainProbes {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ChainDirectory directory;
    private final Clock clock;
    private final ExecutorService executor;
    private final HttpClient http;

    ChainProbes(ChainDirectory directory, Clock clock, ExecutorService executor) {
        this.directory = directory;
        this.clock = clock;
        this.executor = executor;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).executor(executor).build();
    }

    /** The reading of a probe whose arguments were judged; an unreachable chain is an ERROR result. */
    private static Probe.Reading guarded(Supplier<ProbeResult> body) {
        return () -> {
            try {
                return body.get();
            } catch (ChainUnreachable e) {
                return ProbeResult.of(Status.ERROR, e.getMessage());
            }
        };
    }

    // --- head and chain id ----------------------------------------------------------------

    Probe.Reading head(Map<String, String> args) {
        ChainClient client = directory.client(args.get("chain"));
        return guarded(() -> {
            EthBlock.Block block = client.send(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
            return headResult(client, block);
        });
    }

    private ProbeResult headResult(ChainClient client, EthBlock.Block block) {
        Duration age = Duration.between(Instant.ofEpochSecond(block.getTimestamp().longValueExact()), clock.instant());
        long seconds = Math.max(0, age.toSeconds());
        boolean stalled = seconds > client.spec().stallAfterSeconds();
        Status status = stalled ? Status.CRITICAL : Status.OK;
        String summary = client.chain() + " head " + block.getNumber() + ", " + seconds + " s old"
                + (stalled ? " - STALLED (no block for more than " + client.spec().stallAfterSeconds() + " s)" : "");
        return new ProbeResult(status, summary, Message.builder().heading("Chain head: " + client.chain())
                .field("Block", block.getNumber().toString())
                .field("Age", seconds + " s")
                .field("Stall threshold", client.spec().stallAfterSeconds() + " s")
                .field("Hash", block.getHash())
                .paragraph(status.icon(), summary).build());
    }

    Probe.Reading chainId(Map<String, String> args) {
        String name = directory.chainName(args.get("chain"));
        ChainClient client = directory.client(name);
        return guarded(() -> {
            long actual = client.send(w -> w.ethChainId()).getChainId().longValueExact();
            boolean matches = actual == client.spec().chainId();
            return ProbeResult.of(matches ? Status.OK : Status.CRITICAL, name + " chain id " + actual
                    + (matches ? " as expected" : ", expected " + client.spec().chainId()));
        });
    }

    // --- op-node sync status ----------------------------------------------------------------

    /** The op-node's {@code optimism_syncStatus} result, or the ERROR result saying why there is none. */
    private sealed interface SyncStatus permits SyncStatus.Answer, SyncStatus.Failed {
        record Answer(JsonNode status) implements SyncStatus {}
        record Failed(ProbeResult result) implements SyncStatus {}
    }

    /** The chain's configuration, which must name an op-node to ask. */
    private ChainsConfig.ChainSpec opNodeOf(String name) {
        ChainsConfig.ChainSpec spec = directory.config().chains().get(name);
        if (spec.opNodeUrl() == null || spec.opNodeUrl().isBlank()) {
            throw new InvalidInput("chain '" + name + "' has no opNodeUrl; set chains." + name + ".opNodeUrl in bot/chains.yaml");
        }
        return spec;
    }

    private SyncStatus askOpNode(String name, ChainsConfig.ChainSpec spec) {
        try {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"optimism_syncStatus\",\"params\":[]}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(spec.opNodeUrl()))
                    .timeout(Duration.ofMillis(spec.timeoutMillis())).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = JSON.readTree(response.body());
            if (node.has("error")) {
                return new SyncStatus.Failed(ProbeResult.of(Status.ERROR, "op-node of " + name + " (" + ChainClient.host(spec.opNodeUrl())
                        + ") does not answer optimism_syncStatus: " + node.path("error").path("message").asText()
                        + "; point opNodeUrl at an op-node's RPC"));
            }
            return new SyncStatus.Answer(node.path("result"));
        } catch (IOException e) {
            return new SyncStatus.Failed(ProbeResult.of(Status.ERROR, "op-node of " + name + " (" + ChainClient.host(spec.opNodeUrl())
                    + ") unreachable: " + ChainClient.describe(e)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SyncStatus.Failed(ProbeResult.of(Status.ERROR, "interrupted"));
        }
    }

    /** The L1 head the op-node follows, critical when older than {@code l1StaleAfterSeconds}: its L1 RPC is stuck or behind. */
    Probe.Reading l1Head(Map<String, String> args) {
        String name = directory.chainName(args.get("chain"));
        ChainsConfig.ChainSpec spec = opNodeOf(name);
        return () -> l1Head(name, spec);
    }

    private ProbeResult l1Head(String name, ChainsConfig.ChainSpec spec) {
        SyncStatus answer = askOpNode(name, spec);
        if (answer instanceof SyncStatus.Failed failed) return failed.result();
        JsonNode head = ((SyncStatus.Answer) answer).status().path("head_l1");
        long seconds = Math.max(0, clock.instant().getEpochSecond() - head.path("timestamp").asLong());
        boolean stale = seconds > spec.l1StaleAfterSeconds();
        String summary = name + " op-node L1 head " + head.path("number").asLong() + ", " + seconds + " s old"
                + (stale ? " - STALE (older than " + spec.l1StaleAfterSeconds() + " s)" : "");
        return ProbeResult.of(stale ? Status.CRITICAL : Status.OK, summary);
    }

    Probe.Reading syncStatus(Map<String, String> args) {
        String name = directory.chainName(args.get("chain"));
        ChainsConfig.ChainSpec spec = opNodeOf(name);
        return () -> syncStatus(name, spec);
    }

    private ProbeResult syncStatus(String name, ChainsConfig.ChainSpec spec) {
        SyncStatus answer = askOpNode(name, spec);
        if (answer instanceof SyncStatus.Failed failed) return failed.result();
        JsonNode status = ((SyncStatus.Answer) answer).status();
        long unsafe = status.path("unsafe_l2").path("number").asLong();
        long safe = status.path("safe_l2").path("number").asLong();
        long finalized = status.path("finalized_l2").path("number").asLong();
        long safeLag = unsafe - safe;
        long finalizedLag = unsafe - finalized;
        Status result = Status.OK;
        List<String> notes = new ArrayList<>();
        if (safeLag > spec.maxSafeLag()) {
            result = Status.WARNING;
            notes.add("safe head " + safeLag + " blocks behind (limit " + spec.maxSafeLag() + ")");
        }
        if (finalizedLag > spec.maxFinalizedLag()) {
            result = Status.WARNING;
            notes.add("finalized head " + finalizedLag + " blocks behind (limit " + spec.maxFinalizedLag() + ")");
        }
        String summary = name + " sync: unsafe " + unsafe + ", safe " + safe + " (lag " + safeLag + "), finalized "
                + finalized + " (lag " + finalizedLag + ")" + (notes.isEmpty() ? "" : " - " + String.join("; ", notes));
        return new ProbeResult(result, summary, Message.builder().heading("op-node sync: " + name)
                .table(List.of("head", "block", "lag"), List.of(
                        List.of("unsafe L2", String.valueOf(unsafe), "0"),
                        List.of("safe L2", String.valueOf(safe), String.valueOf(safeLag)),
                        List.of("finalized L2", String.valueOf(finalized), String.valueOf(finalizedLag))))
                .paragraph(result.icon(), summary).build());
    }

    // --- balances and gas -------------------------------------------------------------------

    Probe.Reading balance(Map<String, String> args) {
        String account = args.get("account");
        List<String> names = account == null || account.isBlank() || account.equals("all")
                ? directory.config().accounts().keySet().stream().sorted()
                        .filter(n -> args.get("chain") == null || directory.config().accounts().get(n).chain().equals(args.get("chain")))
                        .toList()
                : List.of(account);
        names.forEach(directory::account);
        if (names.isEmpty()) throw new InvalidInput("no accounts configured" + (args.get("chain") == null ? "" : " on chain " + args.get("chain"))
                + "; add them under accounts: in bot/chains.yaml");
        return () -> balances(names);
    }

    private ProbeResult balances(List<String> names) {
        List<Future<ProbeResult>> results = names.stream().map(n -> executor.submit(() -> oneBalance(n))).toList();
        List<ProbeResult> done = results.stream().map(ChainProbes::join).toList();
        if (done.size() == 1) return done.getFirst();
        Status worst = done.stream().map(ProbeResult::status).reduce(Status.OK, ProbeResult::worst);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            // each summary is "NAME BALANCE[ - below ...]"; the table has the name in its own column
            String balance = done.get(i).summary().replaceFirst("^" + java.util.regex.Pattern.quote(names.get(i)) + " ", "");
            rows.add(List.of(names.get(i), balance));
        }
        String summary = "balances: " + String.join("; ", done.stream().map(ProbeResult::summary).toList());
        return new ProbeResult(worst, summary, Message.builder().heading("Balances")
                .table(List.of("account", "balance"), rows, done.stream().map(r -> r.status().icon()).toList()).build());
    }

    private ProbeResult oneBalance(String name) {
        ChainsConfig.AccountSpec account = directory.account(name);
        ChainClient client = directory.client(account.chain());
        return guarded(() -> balanceResult(name, account,
                client.send(w -> w.ethGetBalance(account.address(), DefaultBlockParameterName.LATEST)).getBalance())).read();
    }

    private static ProbeResult balanceResult(String name, ChainsConfig.AccountSpec account, BigInteger wei) {
        {
            Status status = Status.OK;
            String note = "";
            if (account.criticalBelowEth() != null && wei.compareTo(Eth.wei(account.criticalBelowEth())) < 0) {
                status = Status.CRITICAL;
                note = " - below critical " + account.criticalBelowEth().toPlainString() + " ETH";
            } else if (account.warningBelowEth() != null && wei.compareTo(Eth.wei(account.warningBelowEth())) < 0) {
                status = Status.WARNING;
                note = " - below warning " + account.warningBelowEth().toPlainString() + " ETH";
            }
            return ProbeResult.of(status, name + " " + Eth.ether(wei) + note);
        }
    }

    Probe.Reading gas(Map<String, String> args) {
        ChainClient client = directory.client(args.get("chain"));
        return guarded(() -> {
            BigInteger gasPrice = client.send(w -> w.ethGasPrice()).getGasPrice();
            EthBlock.Block block = client.send(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
            return gasResult(client, gasPrice, block);
        });
    }

    private static ProbeResult gasResult(ChainClient client, BigInteger gasPrice, EthBlock.Block block) {
        {
            String baseFee = block.getBaseFeePerGas() == null ? "n/a" : Eth.gwei(block.getBaseFeePerGas());
            String summary = client.chain() + " gas price " + Eth.gwei(gasPrice) + ", base fee " + baseFee + " (block " + block.getNumber() + ")";
            return new ProbeResult(Status.OK, summary, Message.builder().heading("Gas: " + client.chain())
                    .field("Gas price", Eth.gwei(gasPrice)).field("Base fee", baseFee)
                    .field("Block", block.getNumber().toString()).build());
        }
    }

    // --- contract reads, events, receipts, calldata, estimates ------------------------------

    Probe.Reading read(Map<String, String> args) {
        ChainDirectory.ContractFunction target = directory.function(args.get("contract"), args.get("function"), false);
        String data = target.function().encode(directory.checkRoles(target, directory.withAddresses(target.function(), arguments(args.get("args")))));
        ChainClient client = directory.client(target.contract().chain());
        String label = target.contractName() + "." + target.function().canonical()
                + (arguments(args.get("args")).isEmpty() ? "" : " " + String.join(" ", arguments(args.get("args"))));
        return guarded(() -> readResult(target, label, client.send(w -> w.ethCall(
                Transaction.createEthCallTransaction(null, target.contract().address(), data), DefaultBlockParameterName.LATEST))));
    }

    private static ProbeResult readResult(ChainDirectory.ContractFunction target, String label, EthCall response) {
        {
            String revert = Reverts.reason(response);
            if (revert != null) return ProbeResult.of(Status.WARNING, label + " reverted: " + revert);
            if (response.getValue() == null || response.getValue().equals("0x")) {
                return ProbeResult.of(Status.WARNING, label + " returned no data; check that contracts." + target.contractName()
                        + ".address points at the deployed contract on " + target.contract().chain());
            }
            List<String> values = target.function().decodeOutputs(response.getValue());
            String shown = String.join(", ", values);
            return new ProbeResult(Status.OK, label + " = " + shown, Message.builder().heading(label)
                    .field("Result", shown).field("Contract", target.contract().address()).build());
        }
    }

    /**
     * How old the proposer's latest output on an {@code L2OutputOracle} is, by the oracle's own
     * timestamp ({@code latestOutputIndex()}, then {@code getL2Output(index)}): warning once it is
     * older than the expected {@code cadence} (seed 002: one output an hour), critical once older
     * than {@code lateAfter} (default twice the cadence: seed 002's "no output for more than 2 hours").
     */
    Probe.Reading outputAge(Map<String, String> args) {
        Duration cadence = duration(args.getOrDefault("cadence", "1h"), "cadence");
        Duration lateAfter = args.containsKey("lateAfter") ? duration(args.get("lateAfter"), "lateAfter") : cadence.multipliedBy(2);
        String contractName = args.get("contract");
        ChainDirectory.ContractFunction latest = directory.function(contractName, "latestOutputIndex", false);
        ChainDirectory.ContractFunction output = directory.function(contractName, "getL2Output", false);
        ChainClient client = directory.client(latest.contract().chain());
        return guarded(() -> {
            EthCall index = client.send(w -> w.ethCall(Transaction.createEthCallTransaction(null, latest.contract().address(),
                    latest.function().encode(List.of())), DefaultBlockParameterName.LATEST));
            if (Reverts.reason(index) != null || index.getValue() == null || index.getValue().equals("0x")) {
                return ProbeResult.of(Status.CRITICAL, contractName + " has no output yet (" + Optional.ofNullable(Reverts.reason(index))
                        .orElse("latestOutputIndex() returned nothing") + "): the proposer has not proposed");
            }
            String last = latest.function().decodeOutputs(index.getValue()).getFirst();
            EthCall answer = client.send(w -> w.ethCall(Transaction.createEthCallTransaction(null, output.contract().address(),
                    output.function().encode(List.of(last))), DefaultBlockParameterName.LATEST));
            String revert = Reverts.reason(answer);
            if (revert != null) return ProbeResult.of(Status.WARNING, contractName + ".getL2Output(" + last + ") reverted: " + revert);
            List<String> values = output.function().decodeOutputs(answer.getValue());
            long proposedAt = Long.parseLong(values.get(1));
            long age = Math.max(0, clock.instant().getEpochSecond() - proposedAt);
            Status status = age > lateAfter.toSeconds() ? Status.CRITICAL : age > cadence.toSeconds() ? Status.WARNING : Status.OK;
            String summary = contractName + " latest output #" + last + " (L2 block " + values.get(2) + ") proposed "
                    + dev.firebreak.kernel.Durations.format(Duration.ofSeconds(age)) + " ago"
                    + (status == Status.CRITICAL ? " - LATE: none for more than " + dev.firebreak.kernel.Durations.format(lateAfter)
                    : status == Status.WARNING ? " - overdue: one is expected every " + dev.firebreak.kernel.Durations.format(cadence) : "");
            return new ProbeResult(status, summary, Message.builder().heading("Proposer output: " + contractName)
                    .field("Latest output", "#" + last).field("L2 block", values.get(2)).field("Output root", values.get(0))
                    .field("Proposed at", Instant.ofEpochSecond(proposedAt).toString())
                    .field("Expected every", dev.firebreak.kernel.Durations.format(cadence))
                    .paragraph(status.icon(), summary).build());
        });
    }

    private static Duration duration(String text, String what) {
        try {
            Duration d = dev.firebreak.kernel.Durations.parse(text);
            if (d.isZero() || d.isNegative()) throw new IllegalArgumentException();
            return d;
        } catch (RuntimeException e) {
            throw new InvalidInput(what + " '" + text + "' is not a duration; give e.g. 1h or 90m");
        }
    }

    /** How many blocks a read that continues after {@code after} covers at most: further behind, it skips ahead and says so. */
    static final long MAX_CATCH_UP = 5000;

    /**
     * The events of one kind on a contract in a range of blocks: the last {@code blocks} (default
     * 1000), {@code from}..{@code to}, or every block after {@code after} (a watcher's cursor) up to
     * the head, at most {@code maxBlocks} of them (default 5000; further behind, the oldest are
     * skipped and the result says how many). An event is a finding when bot/chains.yaml rates its
     * kind ({@code eventLevels}), when one of its values is not what {@code expect} says
     * ({@code sequencer=sequencer}: the account's address; {@code root!=0x00..}), or when its
     * transaction used more than {@code gasSpike} (default 1.5) times {@code gasBaseline} gas (times
     * the value of {@code gasPer}, e.g. the number of routes applied). {@code level} rates the
     * findings of {@code expect} (default critical) and of the gas check (default warning).
     */
    Probe.Reading events(Map<String, String> args) {
        // what stands on its own first: the contract and the event are what a command most often leaves to chat
        long blocks = positive(args.getOrDefault("blocks", "1000"), "blocks");
        long minCount = args.containsKey("minCount") ? nonNegative(args.get("minCount"), "minCount") : 0;
        Long after = args.containsKey("after") ? nonNegative(args.get("after"), "after") : null;
        long maxBlocks = positive(args.getOrDefault("maxBlocks", String.valueOf(MAX_CATCH_UP)), "maxBlocks");
        Long fromBlock = args.containsKey("from") ? nonNegative(args.get("from"), "from") : null;
        Long toBlock = args.containsKey("to") ? nonNegative(args.get("to"), "to") : null;
        if (fromBlock != null && toBlock != null && fromBlock > toBlock) {
            throw new InvalidInput("from block " + fromBlock + " is after to block " + toBlock + "; give from <= to");
        }
        Status level = args.containsKey("level") ? level(args.get("level")) : null;
        GasCheck gas = GasCheck.of(args);
        String contractName = args.get("contract");
        EventSignature event = directory.event(contractName, args.get("event"));
        ChainsConfig.ContractSpec contract = directory.contract(contractName);
        List<EventExpectation> expected = EventExpectation.parse(args.get("expect"), event, directory);
        if (gas != null) gas.checkPer(event);
        String configured = contract.eventLevels().get(event.name());
        Status rated = configured != null ? Status.valueOf(configured.toUpperCase(java.util.Locale.ROOT)) : null;
        ChainClient client = directory.client(contract.chain());
        return guarded(() -> {
            long head = client.send(w -> w.ethBlockNumber()).getBlockNumber().longValueExact();
            long from;
            long to;
            long skipped = 0;
            if (after != null) {
                from = after + 1;
                to = head;
                if (from > to) {
                    return new ProbeResult(Status.OK, "no new block on " + contract.chain() + " after " + after,
                            new Message(List.of()), new ProbeResult.Scan(from, after, 0, List.of()));
                }
                if (to - from + 1 > maxBlocks) {
                    skipped = to - maxBlocks + 1 - from;
                    from = to - maxBlocks + 1;
                }
            } else {
                from = fromBlock != null ? fromBlock : Math.max(0, head - blocks + 1);
                to = toBlock != null ? toBlock : head;
            }
            if (from > to) throw new InvalidInput("from block " + from + " is after to block " + to + "; give from <= to");
            long first = from;
            long last = to;
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), contract.address());
            filter.addSingleTopic(event.topic());
            EthLog response = client.send(w -> w.ethGetLogs(filter));
            if (response.hasError()) return ProbeResult.of(Status.ERROR, "eth_getLogs failed: " + response.getError().getMessage());
            List<List<String>> rows = new ArrayList<>();
            List<ProbeResult.Finding> findings = new ArrayList<>();
            Map<String, BigInteger> gasUsed = new java.util.HashMap<>();
            for (EthLog.LogResult<?> result : response.getLogs()) {
                Log log = (Log) result.get();
                List<String> values = event.decode(log.getTopics(), log.getData());
                rows.add(List.of(log.getBlockNumber().toString(), log.getTransactionHash(), String.join(" ", values)));
                List<String> reasons = new ArrayList<>();
                Status worst = null;
                if (rated != null) {
                    reasons.add("bot/chains.yaml rates any " + event.name() + " " + configured);
                    worst = rated;
                }
                Map<String, String> named = named(values);
                for (EventExpectation expectation : expected) {
                    expectation.unmet(named).ifPresent(reasons::add);
                }
                if (reasons.size() > (rated != null ? 1 : 0)) worst = ProbeResult.worst(worst == null ? Status.OK : worst,
                        level == null ? Status.CRITICAL : level);
                if (worst == null && expected.isEmpty() && gas == null && level != null) {
                    reasons.add("every " + event.name() + " is rated " + level.name().toLowerCase(java.util.Locale.ROOT) + " here");
                    worst = level;
                }
                if (gas != null) {
                    BigInteger used = gasUsed.computeIfAbsent(log.getTransactionHash(), tx -> client.send(w -> w.ethGetTransactionReceipt(tx))
                            .getTransactionReceipt().map(TransactionReceipt::getGasUsed).orElse(BigInteger.ZERO));
                    Optional<String> spike = gas.spike(used, named);
                    if (spike.isPresent()) {
                        reasons.add(spike.get());
                        worst = ProbeResult.worst(worst == null ? Status.OK : worst, level == null ? Status.WARNING : level);
                    }
                }
                if (worst != null) {
                    findings.add(new ProbeResult.Finding(log.getTransactionHash() + ":" + log.getLogIndex(), worst,
                            event.name() + " on " + contractName + " in block " + log.getBlockNumber() + " (tx "
                                    + log.getTransactionHash() + "): " + String.join(", ", values) + " - " + String.join("; ", reasons)));
                }
            }
            Status status = findings.stream().map(ProbeResult.Finding::status).reduce(Status.OK, ProbeResult::worst);
            if (status == Status.OK && rows.size() < minCount) status = Status.WARNING;
            String summary = rows.size() + " " + event.name() + " event(s) on " + contractName + " in blocks " + first + ".." + last
                    + (rated != null && !rows.isEmpty() ? " - bot/chains.yaml rates any " + event.name() + " " + configured
                    : !findings.isEmpty() ? " - " + findings.size() + " finding(s): " + findings.getFirst().summary()
                    : rows.size() < minCount ? " - expected at least " + minCount : "")
                    + (skipped > 0 ? " (" + skipped + " blocks before " + first + " skipped: too far behind)" : "");
            Message.Builder details = Message.builder().heading(event.name() + " on " + contractName).paragraph(summary);
            if (!rows.isEmpty()) details.table(List.of("block", "tx", "values"), rows.size() > 20 ? rows.subList(rows.size() - 20, rows.size()) : rows);
            return new ProbeResult(status, summary, details.build(), new ProbeResult.Scan(first, last, skipped, findings));
        });
    }

    /** The selector of OpenZeppelin 5's {@code AccessControlUnauthorizedAccount(address,bytes32)}. */
    static final String ACCESS_CONTROL_UNAUTHORIZED = "0xe2517d3f";

    /**
     * Transactions to a contract that reverted, in a range of blocks as {@link #events} reads them
     * ({@code after}, {@code blocks}, {@code maxBlocks}: default 500, as each block is read whole),
     * each replayed on the block before it for its reason. A revert whose reason matches
     * {@code reason} (a regular expression, default {@code AccessControl}: OpenZeppelin's
     * "AccessControl: account ... is missing role" and 5's AccessControlUnauthorizedAccount error) is
     * a finding at {@code level} (default critical): seed 001's "AccessControl error" of an account
     * calling what its role does not allow.
     */
    Probe.Reading reverts(Map<String, String> args) {
        long blocks = positive(args.getOrDefault("blocks", "100"), "blocks");
        Long after = args.containsKey("after") ? nonNegative(args.get("after"), "after") : null;
        long maxBlocks = positive(args.getOrDefault("maxBlocks", "500"), "maxBlocks");
        java.util.regex.Pattern reason;
        try {
            reason = java.util.regex.Pattern.compile(args.getOrDefault("reason", "AccessControl"));
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new InvalidInput("reason '" + args.get("reason") + "' is not a regular expression: " + e.getDescription());
        }
        Status level = args.containsKey("level") ? level(args.get("level")) : Status.CRITICAL;
        String contractName = args.get("contract");
        ChainsConfig.ContractSpec contract = directory.contract(contractName);
        ChainClient client = directory.client(contract.chain());
        return guarded(() -> {
            long head = client.send(w -> w.ethBlockNumber()).getBlockNumber().longValueExact();
            long from = after != null ? after + 1 : Math.max(0, head - blocks + 1);
            long skipped = 0;
            if (from > head) {
                return new ProbeResult(Status.OK, "no new block on " + contract.chain() + " after " + after, new Message(List.of()),
                        new ProbeResult.Scan(from, head, 0, List.of()));
            }
            if (head - from + 1 > maxBlocks) {
                skipped = head - maxBlocks + 1 - from;
                from = head - maxBlocks + 1;
            }
            List<ProbeResult.Finding> findings = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            for (long number = from; number <= head; number++) {
                long at = number;
                EthBlock.Block block = client.send(w -> w.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(at)), true))
                        .getBlock();
                if (block == null) continue;
                for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
                    org.web3j.protocol.core.methods.response.Transaction tx = (org.web3j.protocol.core.methods.response.Transaction) result.get();
                    if (tx.getTo() == null || !tx.getTo().equalsIgnoreCase(contract.address())) continue;
                    Optional<TransactionReceipt> receipt = client.send(w -> w.ethGetTransactionReceipt(tx.getHash())).getTransactionReceipt();
                    if (receipt.isEmpty() || receipt.get().isStatusOK()) continue;
                    String why = replayedReason(client, tx, at);
                    String function = functionName(contract, tx.getInput());
                    rows.add(List.of(String.valueOf(at), tx.getHash(), tx.getFrom(), function, why));
                    if (reason.matcher(why).find()) {
                        findings.add(new ProbeResult.Finding(tx.getHash(), level, "A call of " + contractName + "." + function + " by "
                                + tx.getFrom() + " was refused in block " + at + " (tx " + tx.getHash() + "): " + why));
                    }
                }
            }
            Status status = findings.isEmpty() ? Status.OK : level;
            String summary = rows.size() + " reverted call(s) to " + contractName + " in blocks " + from + ".." + head
                    + (findings.isEmpty() ? "" : " - " + findings.size() + " refused by access control: " + findings.getFirst().summary())
                    + (skipped > 0 ? " (" + skipped + " blocks before " + from + " skipped: too far behind)" : "");
            Message.Builder details = Message.builder().heading("Reverted calls to " + contractName).paragraph(summary);
            if (!rows.isEmpty()) details.table(List.of("block", "tx", "from", "function", "reason"), rows.size() > 20 ? rows.subList(rows.size() - 20, rows.size()) : rows);
            return new ProbeResult(status, summary, details.build(), new ProbeResult.Scan(from, head, skipped, findings));
        });
    }

    /** Why a mined transaction reverted: replayed as a call on the state before its block. */
    private static String replayedReason(ChainClient client, org.web3j.protocol.core.methods.response.Transaction tx, long block) {
        EthCall replay = client.send(w -> w.ethCall(Transaction.createFunctionCallTransaction(tx.getFrom(), null, null, tx.getGas(),
                tx.getTo(), tx.getValue(), tx.getInput()), DefaultBlockParameter.valueOf(BigInteger.valueOf(Math.max(0, block - 1)))));
        String why = Reverts.reason(replay);
        if (why == null) return "reverted (the replay on block " + (block - 1) + " succeeds: it depended on its own block)";
        Object data = replay.hasError() ? replay.getError().getData() : null;
        if (data != null && data.toString().startsWith(ACCESS_CONTROL_UNAUTHORIZED)) why = why + " (AccessControlUnauthorizedAccount)";
        return why;
    }

    /** The configured function a calldata calls, by selector; its selector when none is configured. */
    private static String functionName(ChainsConfig.ContractSpec contract, String input) {
        if (input == null || input.length() < 10) return "(no calldata)";
        String selector = input.substring(0, 10).toLowerCase(java.util.Locale.ROOT);
        for (String text : concat(contract.reads(), contract.actions())) {
            FunctionSignature signature = FunctionSignature.parse(text);
            if (signature.selector().equals(selector)) return signature.canonical();
        }
        return selector;
    }

    private static Status level(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "warning" -> Status.WARNING;
            case "critical" -> Status.CRITICAL;
            default -> throw new InvalidInput("level '" + text + "' is not a level; give warning or critical");
        };
    }

    /** An event's decoded values by parameter name. */
    private static Map<String, String> named(List<String> values) {
        Map<String, String> named = new java.util.LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            named.put(value.substring(0, eq), value.substring(eq + 1));
        }
        return named;
    }

    /** One condition of {@code expect}: a parameter equal (or not equal) to an account's address or a literal value. */
    private record EventExpectation(String parameter, boolean equal, String value, String shown) {

        static List<EventExpectation> parse(String text, EventSignature event, ChainDirectory directory) {
            if (text == null || text.isBlank()) return List.of();
            List<EventExpectation> all = new ArrayList<>();
            for (String part : text.split(",")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*([A-Za-z_$][A-Za-z0-9_$]*)\\s*(!?=)\\s*(\\S+)\\s*")
                        .matcher(part);
                if (!m.matches()) {
                    throw new InvalidInput("expect '" + part.trim() + "' is not a condition; write parameter=value or parameter!=value, "
                            + "e.g. expect: sequencer=sequencer");
                }
                String parameter = m.group(1);
                if (event.parameters().stream().noneMatch(p -> p.name().equals(parameter))) {
                    throw new InvalidInput(event.name() + " has no parameter '" + parameter + "'; it has "
                            + String.join(", ", event.parameters().stream().map(EventSignature.Parameter::name).toList()));
                }
                String value = m.group(3);
                String resolved = directory.config().accounts().containsKey(value) ? directory.config().accounts().get(value).address() : value;
                all.add(new EventExpectation(parameter, m.group(2).equals("="), resolved,
                        resolved.equals(value) ? value : value + " (" + resolved + ")"));
            }
            return all;
        }

        /** Why an event's values break this expectation; empty when they meet it. */
        Optional<String> unmet(Map<String, String> values) {
            String actual = values.getOrDefault(parameter, "");
            boolean same = actual.equalsIgnoreCase(value);
            if (same == equal) return Optional.empty();
            return Optional.of(parameter + " " + actual + (equal ? " is not the expected " : " is ") + shown);
        }
    }

    /** The gas check of seed 001's upgrade bot: a transaction using more than {@code gasSpike} times its baseline. */
    private record GasCheck(BigInteger baseline, java.math.BigDecimal factor, String per) {

        static GasCheck of(Map<String, String> args) {
            if (!args.containsKey("gasBaseline")) return null;
            BigInteger baseline = BigInteger.valueOf(positive(args.get("gasBaseline"), "gasBaseline"));
            java.math.BigDecimal factor;
            try {
                factor = new java.math.BigDecimal(args.getOrDefault("gasSpike", "1.5").trim());
            } catch (NumberFormatException e) {
                throw new InvalidInput("gasSpike '" + args.get("gasSpike") + "' is not a number; give e.g. 1.5");
            }
            if (factor.signum() <= 0) throw new InvalidInput("gasSpike must be more than 0; give e.g. 1.5");
            return new GasCheck(baseline, factor, args.get("gasPer"));
        }

        /** {@code gasPer} must name a parameter of the event. */
        void checkPer(EventSignature event) {
            if (per != null && event.parameters().stream().noneMatch(p -> p.name().equals(per))) {
                throw new InvalidInput(event.name() + " has no parameter '" + per + "' for gasPer; it has "
                        + String.join(", ", event.parameters().stream().map(EventSignature.Parameter::name).toList()));
            }
        }

        Optional<String> spike(BigInteger used, Map<String, String> values) {
            BigInteger units = BigInteger.ONE;
            if (per != null) {
                try {
                    units = new BigInteger(values.getOrDefault(per, "1")).max(BigInteger.ONE);
                } catch (NumberFormatException e) {
                    units = BigInteger.ONE;
                }
            }
            java.math.BigDecimal limit = new java.math.BigDecimal(baseline.multiply(units)).multiply(factor);
            if (new java.math.BigDecimal(used).compareTo(limit) <= 0) return Optional.empty();
            return Optional.of("used " + used + " gas, more than " + factor.toPlainString() + " x the baseline " + baseline
                    + (per == null ? "" : " per " + per + " (" + units + ")") + " = " + limit.setScale(0, java.math.RoundingMode.DOWN));
        }
    }

    Probe.Reading receipt(Map<String, String> args) {
        String tx = args.getOrDefault("tx", "").trim();
        if (!tx.matches("0x[0-9a-fA-F]{64}")) throw new InvalidInput("transaction hash '" + tx + "' is malformed; give 0x followed by 64 hex digits");
        ChainClient client = directory.client(args.get("chain"));
        return guarded(() -> {
            var found = client.send(w -> w.ethGetTransactionReceipt(tx)).getTransactionReceipt();
            if (found.isEmpty()) return ProbeResult.of(Status.WARNING, "no receipt for " + tx + " on " + client.chain() + " (pending, dropped or unknown)");
            TransactionReceipt receipt = found.get();
            boolean ok = receipt.isStatusOK();
            String summary = tx + " " + (ok ? "succeeded" : "REVERTED") + " in block " + receipt.getBlockNumber() + ", gas used " + receipt.getGasUsed();
            return new ProbeResult(ok ? Status.OK : Status.CRITICAL, summary, Message.builder().heading("Receipt")
                    .field("Status", ok ? "1 (success)" : "0 (reverted)").field("Block", receipt.getBlockNumber().toString())
                    .field("Gas used", receipt.getGasUsed().toString()).field("To", String.valueOf(receipt.getTo())).build());
        });
    }

    Probe.Reading decode(Map<String, String> args) {
        String calldata = args.getOrDefault("calldata", "").trim();
        if (!calldata.matches("0x[0-9a-fA-F]{8}([0-9a-fA-F]{2})*")) {
            throw new InvalidInput("calldata '" + (calldata.length() > 20 ? calldata.substring(0, 20) + "..." : calldata)
                    + "' is malformed; give 0x, a 4-byte selector and the ABI-encoded arguments in hex");
        }
        return () -> decode(calldata);
    }

    private ProbeResult decode(String calldata) {
        String selector = calldata.substring(0, 10).toLowerCase();
        for (var entry : directory.config().contracts().entrySet()) {
            for (String text : concat(entry.getValue().reads(), entry.getValue().actions())) {
                FunctionSignature signature = FunctionSignature.parse(text);
                if (!signature.selector().equals(selector)) continue;
                try {
                    List<String> values = signature.decodeInputs(calldata);
                    String summary = selector + " = " + signature.canonical() + (values.isEmpty() ? "" : " with " + String.join(", ", values));
                    return new ProbeResult(Status.OK, summary, Message.builder().heading("Calldata")
                            .field("Function", signature.canonical()).field("Known from", "contracts." + entry.getKey())
                            .field("Arguments", values.isEmpty() ? "none" : String.join(", ", values)).build());
                } catch (RuntimeException e) {
                    return ProbeResult.of(Status.WARNING, selector + " matches " + signature.canonical() + " but the arguments do not decode");
                }
            }
        }
        return ProbeResult.of(Status.WARNING, "selector " + selector + " matches no function of the configured contracts");
    }

    Probe.Reading estimate(Map<String, String> args) {
        String given = args.containsKey("from") ? ChainDirectory.address(args.get("from"), "from") : null;
        ChainDirectory.ContractFunction target = directory.function(args.get("contract"), args.get("function"), true);
        String data = target.function().encode(directory.checkRoles(target, directory.withAddresses(target.function(), arguments(args.get("args")))));
        String from = given != null ? given
                : target.contract().signer() == null ? null
                : Signers.addressIfKnown(directory.config(), target.contract().signer());
        ChainClient client = directory.client(target.contract().chain());
        return guarded(() -> {
            var response = client.send(w -> w.ethEstimateGas(Transaction.createFunctionCallTransaction(from, null, null, null,
                    target.contract().address(), data)));
            String label = target.contractName() + "." + target.function().canonical();
            if (response.hasError()) return ProbeResult.of(Status.WARNING, label + " would revert: " + Reverts.reason(response.getError()));
            return ProbeResult.of(Status.OK, label + " estimated at " + response.getAmountUsed() + " gas" + (from == null ? "" : " from " + from));
        });
    }

    // --- first response: the P0 checks at once -----------------------------------------------

    /**
     * Head, gas, op-node sync, every account's balance and every argument-free read on one chain:
     * the reads in one JSON-RPC batch (one round trip, the chain id check in it the first time), the
     * op-node's sync status alongside it.
     */
    Probe.Reading snapshot(Map<String, String> args) {
        String chain = directory.chainName(args.get("chain"));
        return () -> snapshot(chain);
    }

    private ProbeResult snapshot(String chain) {
        ChainClient client = directory.client(chain);
        ChainsConfig.ChainSpec spec = directory.config().chains().get(chain);
        Future<ProbeResult> sync = spec.opNodeUrl() == null || spec.opNodeUrl().isBlank() ? null
                : executor.submit(() -> syncStatus(chain, spec));

        List<String> labels = new ArrayList<>();
        List<ChainClient.RpcCall<?>> calls = new ArrayList<>();
        List<Function<List<Response<?>>, ProbeResult>> judges = new ArrayList<>();
        calls.add(ChainProbes.<EthBlock>rpc(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)));
        calls.add(ChainProbes.<EthGasPrice>rpc(w -> w.ethGasPrice()));
        labels.add("head");
        judges.add(answers -> answered(answers.get(0)).orElseGet(() -> headResult(client, ((EthBlock) answers.get(0)).getBlock())));
        labels.add("gas");
        judges.add(answers -> answered(answers.get(1)).or(() -> answered(answers.get(0))).orElseGet(() ->
                gasResult(client, ((EthGasPrice) answers.get(1)).getGasPrice(), ((EthBlock) answers.get(0)).getBlock())));
        directory.config().accounts().entrySet().stream().filter(e -> e.getValue().chain().equals(chain))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    int index = calls.size();
                    calls.add(ChainProbes.<EthGetBalance>rpc(w -> w.ethGetBalance(e.getValue().address(), DefaultBlockParameterName.LATEST)));
                    labels.add("balance " + e.getKey());
                    judges.add(answers -> answered(answers.get(index)).orElseGet(() ->
                            balanceResult(e.getKey(), e.getValue(), ((EthGetBalance) answers.get(index)).getBalance())));
                });
        directory.config().contracts().entrySet().stream().filter(e -> e.getValue().chain().equals(chain))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    for (String text : e.getValue().reads()) {
                        FunctionSignature signature = FunctionSignature.parse(text);
                        if (!signature.inputs().isEmpty()) continue;
                        ChainDirectory.ContractFunction target = directory.function(e.getKey(), signature.canonical(), false);
                        String data = target.function().encode(List.of());
                        int index = calls.size();
                        calls.add(ChainProbes.<EthCall>rpc(w -> w.ethCall(Transaction.createEthCallTransaction(null,
                                target.contract().address(), data), DefaultBlockParameterName.LATEST)));
                        labels.add(e.getKey() + "." + signature.name());
                        judges.add(answers -> readResult(target, e.getKey() + "." + signature.canonical(), (EthCall) answers.get(index)));
                    }
                });

        List<ProbeResult> results = new ArrayList<>();
        try {
            List<Response<?>> answers = client.sendAll(calls);
            judges.forEach(judge -> results.add(judge.apply(answers)));
        } catch (ChainUnreachable e) {
            judges.forEach(judge -> results.add(ProbeResult.of(Status.ERROR, e.getMessage())));
        }
        if (sync != null) {
            labels.add(2, "op-node sync");
            results.add(2, join(sync));
        }
        Status worst = results.stream().map(ProbeResult::status).reduce(Status.OK, ProbeResult::worst);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) rows.add(List.of(labels.get(i), results.get(i).summary()));
        long problems = results.stream().filter(r -> r.status() != Status.OK).count();
        String summary = chain + " first response: " + results.size() + " checks, " + problems + " not OK";
        return new ProbeResult(worst, summary, Message.builder().heading("Chain snapshot: " + chain)
                .table(List.of("check", "result"), rows, results.stream().map(r -> r.status().icon()).toList()).build());
    }

    private static <T extends Response<?>> ChainClient.RpcCall<T> rpc(ChainClient.RpcCall<T> call) {
        return call;
    }

    /** An RPC error in a batch's answer as the check's result; empty when the call was answered. */
    private static java.util.Optional<ProbeResult> answered(Response<?> response) {
        if (!response.hasError()) return java.util.Optional.empty();
        return java.util.Optional.of(ProbeResult.of(Status.ERROR, "the node refused the call: " + response.getError().getMessage()));
    }

    private static ProbeResult join(Future<ProbeResult> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.of(Status.ERROR, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof InvalidInput invalid) throw invalid;
            return ProbeResult.of(Status.ERROR, "check failed: " + e.getCause().getClass().getSimpleName());
        }
    }

    static List<String> arguments(String text) {
        if (text == null || text.isBlank()) return List.of();
        return Arrays.stream(text.trim().split("\\s+")).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static long positive(String text, String what) {
        long value = nonNegative(text, what);
        if (value == 0) throw new InvalidInput(what + " must be at least 1");
        return value;
    }

    static long nonNegative(String text, String what) {
        try {
            long value = Long.parseLong(text.trim());
            if (value < 0) throw new NumberFormatException();
            return value;
        } catch (RuntimeException e) {
            throw new InvalidInput(what + " '" + text + "' is not a whole number; give e.g. 100");
        }
    }
}
