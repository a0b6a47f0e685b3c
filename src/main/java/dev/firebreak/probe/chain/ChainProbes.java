package dev.firebreak.probe.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** The read-only chain diagnostics; each method is one probe. RPC failures become ERROR results. */
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

    /** Runs a probe body; an unreachable chain is an ERROR result, bad input stays an exception. */
    private static ProbeResult guarded(Supplier<ProbeResult> body) {
        try {
            return body.get();
        } catch (ChainUnreachable e) {
            return ProbeResult.of(Status.ERROR, e.getMessage());
        }
    }

    // --- head and chain id ----------------------------------------------------------------

    ProbeResult head(Map<String, String> args) {
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

    ProbeResult chainId(Map<String, String> args) {
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

    ProbeResult syncStatus(Map<String, String> args) {
        String name = directory.chainName(args.get("chain"));
        ChainsConfig.ChainSpec spec = directory.config().chains().get(name);
        if (spec.opNodeUrl() == null || spec.opNodeUrl().isBlank()) {
            throw new InvalidInput("chain '" + name + "' has no opNodeUrl; set chains." + name + ".opNodeUrl in bot/chains.yaml");
        }
        JsonNode status;
        try {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"optimism_syncStatus\",\"params\":[]}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(spec.opNodeUrl()))
                    .timeout(Duration.ofMillis(spec.timeoutMillis())).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = JSON.readTree(response.body());
            if (node.has("error")) {
                return ProbeResult.of(Status.ERROR, "op-node of " + name + " (" + ChainClient.host(spec.opNodeUrl())
                        + ") does not answer optimism_syncStatus: " + node.path("error").path("message").asText()
                        + "; point opNodeUrl at an op-node's RPC");
            }
            status = node.path("result");
        } catch (IOException e) {
            return ProbeResult.of(Status.ERROR, "op-node of " + name + " (" + ChainClient.host(spec.opNodeUrl()) + ") unreachable: "
                    + ChainClient.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.of(Status.ERROR, "interrupted");
        }
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

    ProbeResult balance(Map<String, String> args) {
        String account = args.get("account");
        List<String> names = account == null || account.isBlank() || account.equals("all")
                ? directory.config().accounts().keySet().stream().sorted()
                        .filter(n -> args.get("chain") == null || directory.config().accounts().get(n).chain().equals(args.get("chain")))
                        .toList()
                : List.of(account);
        names.forEach(directory::account);
        if (names.isEmpty()) throw new InvalidInput("no accounts configured" + (args.get("chain") == null ? "" : " on chain " + args.get("chain"))
                + "; add them under accounts: in bot/chains.yaml");
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
        return guarded(() -> {
            BigInteger wei = client.send(w -> w.ethGetBalance(account.address(), DefaultBlockParameterName.LATEST)).getBalance();
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
        });
    }

    ProbeResult gas(Map<String, String> args) {
        ChainClient client = directory.client(args.get("chain"));
        return guarded(() -> {
            BigInteger gasPrice = client.send(w -> w.ethGasPrice()).getGasPrice();
            EthBlock.Block block = client.send(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
            String baseFee = block.getBaseFeePerGas() == null ? "n/a" : Eth.gwei(block.getBaseFeePerGas());
            String summary = client.chain() + " gas price " + Eth.gwei(gasPrice) + ", base fee " + baseFee + " (block " + block.getNumber() + ")";
            return new ProbeResult(Status.OK, summary, Message.builder().heading("Gas: " + client.chain())
                    .field("Gas price", Eth.gwei(gasPrice)).field("Base fee", baseFee)
                    .field("Block", block.getNumber().toString()).build());
        });
    }

    // --- contract reads, events, receipts, calldata, estimates ------------------------------

    ProbeResult read(Map<String, String> args) {
        ChainDirectory.ContractFunction target = directory.function(args.get("contract"), args.get("function"), false);
        String data = target.function().encode(directory.checkRoles(target, directory.withAddresses(target.function(), arguments(args.get("args")))));
        ChainClient client = directory.client(target.contract().chain());
        return guarded(() -> {
            var response = client.send(w -> w.ethCall(Transaction.createEthCallTransaction(null, target.contract().address(), data),
                    DefaultBlockParameterName.LATEST));
            String label = target.contractName() + "." + target.function().canonical()
                    + (arguments(args.get("args")).isEmpty() ? "" : " " + String.join(" ", arguments(args.get("args"))));
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
        });
    }

    ProbeResult events(Map<String, String> args) {
        String contractName = args.get("contract");
        EventSignature event = directory.event(contractName, args.get("event"));
        ChainsConfig.ContractSpec contract = directory.contract(contractName);
        long blocks = positive(args.getOrDefault("blocks", "1000"), "blocks");
        long minCount = args.containsKey("minCount") ? nonNegative(args.get("minCount"), "minCount") : 0;
        ChainClient client = directory.client(contract.chain());
        return guarded(() -> {
            long head = client.send(w -> w.ethBlockNumber()).getBlockNumber().longValueExact();
            long from = args.containsKey("from") ? nonNegative(args.get("from"), "from") : Math.max(0, head - blocks + 1);
            long to = args.containsKey("to") ? nonNegative(args.get("to"), "to") : head;
            if (from > to) throw new InvalidInput("from block " + from + " is after to block " + to + "; give from <= to");
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), contract.address());
            filter.addSingleTopic(event.topic());
            EthLog response = client.send(w -> w.ethGetLogs(filter));
            if (response.hasError()) return ProbeResult.of(Status.ERROR, "eth_getLogs failed: " + response.getError().getMessage());
            List<List<String>> rows = new ArrayList<>();
            for (EthLog.LogResult<?> result : response.getLogs()) {
                Log log = (Log) result.get();
                rows.add(List.of(log.getBlockNumber().toString(), log.getTransactionHash(),
                        String.join(" ", event.decode(log.getTopics(), log.getData()))));
            }
            String level = contract.eventLevels().get(event.name());
            Status status = !rows.isEmpty() && level != null ? Status.valueOf(level.toUpperCase(java.util.Locale.ROOT))
                    : rows.size() < minCount ? Status.WARNING : Status.OK;
            String summary = rows.size() + " " + event.name() + " event(s) on " + contractName + " in blocks " + from + ".." + to
                    + (!rows.isEmpty() && level != null ? " - bot/chains.yaml rates any " + event.name() + " " + level
                    : rows.size() < minCount ? " - expected at least " + minCount : "");
            Message.Builder details = Message.builder().heading(event.name() + " on " + contractName).paragraph(summary);
            if (!rows.isEmpty()) details.table(List.of("block", "tx", "values"), rows.size() > 20 ? rows.subList(rows.size() - 20, rows.size()) : rows);
            return new ProbeResult(status, summary, details.build());
        });
    }

    ProbeResult receipt(Map<String, String> args) {
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

    ProbeResult decode(Map<String, String> args) {
        String calldata = args.getOrDefault("calldata", "").trim();
        if (!calldata.matches("0x[0-9a-fA-F]{8}([0-9a-fA-F]{2})*")) {
            throw new InvalidInput("calldata '" + (calldata.length() > 20 ? calldata.substring(0, 20) + "..." : calldata)
                    + "' is malformed; give 0x, a 4-byte selector and the ABI-encoded arguments in hex");
        }
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

    ProbeResult estimate(Map<String, String> args) {
        ChainDirectory.ContractFunction target = directory.function(args.get("contract"), args.get("function"), true);
        String data = target.function().encode(directory.checkRoles(target, directory.withAddresses(target.function(), arguments(args.get("args")))));
        String from = args.containsKey("from") ? ChainDirectory.address(args.get("from"), "from")
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

    /** Head, gas, op-node sync, every account's balance and every argument-free read on one chain, concurrently. */
    ProbeResult snapshot(Map<String, String> args) {
        String chain = directory.chainName(args.get("chain"));
        List<String> labels = new ArrayList<>();
        List<Future<ProbeResult>> futures = new ArrayList<>();
        labels.add("head");
        futures.add(executor.submit(() -> head(Map.of("chain", chain))));
        labels.add("gas");
        futures.add(executor.submit(() -> gas(Map.of("chain", chain))));
        String opNode = directory.config().chains().get(chain).opNodeUrl();
        if (opNode != null && !opNode.isBlank()) {
            labels.add("op-node sync");
            futures.add(executor.submit(() -> syncStatus(Map.of("chain", chain))));
        }
        directory.config().accounts().entrySet().stream().filter(e -> e.getValue().chain().equals(chain))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    labels.add("balance " + e.getKey());
                    futures.add(executor.submit(() -> oneBalance(e.getKey())));
                });
        directory.config().contracts().entrySet().stream().filter(e -> e.getValue().chain().equals(chain))
                .sorted(Map.Entry.comparingByKey()).forEach(e -> {
                    for (String text : e.getValue().reads()) {
                        FunctionSignature signature = FunctionSignature.parse(text);
                        if (!signature.inputs().isEmpty()) continue;
                        labels.add(e.getKey() + "." + signature.name());
                        futures.add(executor.submit(() -> read(Map.of("contract", e.getKey(), "function", signature.canonical()))));
                    }
                });
        List<ProbeResult> results = futures.stream().map(ChainProbes::join).toList();
        Status worst = results.stream().map(ProbeResult::status).reduce(Status.OK, ProbeResult::worst);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) rows.add(List.of(labels.get(i), results.get(i).summary()));
        long problems = results.stream().filter(r -> r.status() != Status.OK).count();
        String summary = chain + " first response: " + results.size() + " checks, " + problems + " not OK";
        return new ProbeResult(worst, summary, Message.builder().heading("Chain snapshot: " + chain)
                .table(List.of("check", "result"), rows, results.stream().map(r -> r.status().icon()).toList()).build());
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
