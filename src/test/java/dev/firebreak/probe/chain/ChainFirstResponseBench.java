package dev.firebreak.probe.chain;

import com.sun.net.httpserver.HttpServer;
import dev.firebreak.bench.BenchFirebreak;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SignedSlashCommands;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.demo.k8s.DemoCluster;
import dev.firebreak.probe.k8s.ClustersConfig;
import dev.firebreak.probe.k8s.KubernetesOperations;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Seed 002's P0 first-response checks (L1 block, batcher and proposer balances, gas price,
 * L2OutputOracle.latestOutputIndex, the op-stack pods) as Firebreak runs them ({@code /diag chain},
 * every chain check at once, while {@code /diag pods} runs), against the same checks one after
 * another, and one after another with a fresh client each time (like running {@code cast} five
 * times and {@code kubectl get pods}); and {@code /diag chain} alone against the real {@code cast} CLI
 * run five times one by one (npm {@code @foundry-rs/cast-linux-amd64} in src/test/chain). The RPC
 * sits behind a proxy that adds a fixed round-trip
 * latency, as a remote provider would. Every Firebreak figure but one is taken after
 * {@link #WARM_UP_ROUNDS} runs at no latency, as on a bot that has been running (the first commands
 * after a start run in the interpreter and the JIT compiles on the same two cores); the bot's
 * first commands are measured too, as "just started". Prints timings and ratios; asserts nothing
 * about time.
 *
 * <p>Run (arguments: latency in ms, rounds): {@code ./mvnw -q -B test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test && java -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * dev.firebreak.probe.chain.ChainFirstResponseBench 50 10}
 */
public final class ChainFirstResponseBench {

    /** Runs of every check before anything is measured: a bot that has been running has compiled its hot paths. */
    private static final int WARM_UP_ROUNDS = 1_000;

    public static void main(String[] args) throws Exception {
        long latencyMillis = args.length > 0 ? Long.parseLong(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (DemoChain devnet = DemoChain.start();
             DemoCluster cluster = DemoCluster.start(Clock.systemUTC(), false);
             ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            ClustersConfig clusters = cluster.clustersConfig("mainnet");
            Map<String, String> pods = Map.of("cluster", "mainnet");
            AtomicLong latency = new AtomicLong(0);
            HttpServer proxy = latencyProxy(devnet.rpcUrl(), latency, executor);
            try {
                ChainsConfig config = p0Config(devnet.chainsConfig(), "http://127.0.0.1:" + proxy.getAddress().getPort() + "/");
                List<Map.Entry<String, Map<String, String>>> checks = List.of(
                        Map.entry("chain.head", Map.of("chain", "devnet")),
                        Map.entry("chain.balance", Map.of("account", "batcher")),
                        Map.entry("chain.balance", Map.of("account", "proposer")),
                        Map.entry("chain.gas", Map.of("chain", "devnet")),
                        Map.entry("chain.read", Map.of("contract", "l2OutputOracle", "function", "latestOutputIndex")));
                try (ChainOperations shared = new ChainOperations(config, null, Clock.systemUTC(), executor);
                     KubernetesOperations kubernetes = new KubernetesOperations(clusters, Clock.systemUTC())) {
                    Probe snapshot = shared.probes().get("chain.snapshot");
                    Probe podsProbe = kubernetes.probes().get("k8s.pods");
                    // warm-up, with no latency: connections, the chain id check, and the JIT, as on a bot that has been running
                    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                        check(snapshot.run(Map.of("chain", "devnet")));
                        checks.forEach(c -> check(shared.probes().get(c.getKey()).run(c.getValue())));
                        check(podsProbe.run(pods));
                    }
                    latency.set(latencyMillis);

                    long snapshotAlone = median(rounds, () -> check(snapshot.run(Map.of("chain", "devnet"))));
                    // Firebreak: /diag chain (every chain check at once) while /diag pods runs
                    long concurrent = median(rounds, () -> {
                        var podsDone = executor.submit(() -> check(podsProbe.run(pods)));
                        check(snapshot.run(Map.of("chain", "devnet")));
                        join(podsDone);
                    });
                    long sequential = median(rounds, () -> {
                        checks.forEach(c -> check(shared.probes().get(c.getKey()).run(c.getValue())));
                        check(podsProbe.run(pods));
                    });
                    // by hand: five `cast` calls and a `kubectl get pods`, each a new process with a new connection
                    long byHand = median(rounds, () -> {
                        checks.forEach(c -> {
                            try (ChainOperations fresh = new ChainOperations(config, null, Clock.systemUTC(), executor)) {
                                check(fresh.probes().get(c.getKey()).run(c.getValue()));
                            }
                        });
                        try (KubernetesOperations fresh = new KubernetesOperations(clusters, Clock.systemUTC())) {
                            check(fresh.probes().get("k8s.pods").run(pods));
                        }
                    });
                    // /diag chain alone, against the seed's five `cast` calls one by one (the real CLI, a process each)
                    String rpc = "http://127.0.0.1:" + proxy.getAddress().getPort() + "/";
                    List<List<String>> castCalls = List.of(
                            List.of("block-number"),
                            List.of("balance", config.accounts().get("batcher").address()),
                            List.of("balance", config.accounts().get("proposer").address()),
                            List.of("gas-price"),
                            List.of("call", config.contracts().get("l2OutputOracle").address(), "latestOutputIndex()(uint256)"));
                    castCalls.forEach(c -> cast(rpc, c));
                    long byCast = median(rounds, () -> castCalls.forEach(c -> cast(rpc, c)));
                    long[] onBot = onRunningBot(devnet, rpc, latency, rounds, executor);
                    System.out.printf("Seed 002 P0 chain checks (%d ms RPC latency, median of %d)%n", latencyMillis, rounds);
                    System.out.printf("  Firebreak, /diag chain (chain.snapshot)    : %6.1f ms%n", snapshotAlone / 1e6);
                    System.out.printf("  cast, five calls one by one                : %6.1f ms  (%.1fx)%n", byCast / 1e6, (double) byCast / snapshotAlone);
                    System.out.printf("  Firebreak (./firebreak run), bot/chains.yaml's whole snapshot:%n");
                    System.out.printf("    just started, /diag chain, signed Slack command to answer: %6.1f ms  (cast %.1fx)%n", onBot[0] / 1e6, (double) byCast / onBot[0]);
                    System.out.printf("    running (after %,d commands), the probe alone            : %6.1f ms  (cast %.1fx)%n", WARM_UP_ROUNDS, onBot[1] / 1e6, (double) byCast / onBot[1]);
                    System.out.printf("    running (after %,d commands), /diag chain, Slack to answer: %6.1f ms  (cast %.1fx)%n", WARM_UP_ROUNDS, onBot[2] / 1e6, (double) byCast / onBot[2]);
                    System.out.printf("Seed 002 P0 first-response checks: L1 head, batcher and proposer balances, gas price, "
                            + "latestOutputIndex, op-stack pods (%d ms RPC latency, median of %d)%n", latencyMillis, rounds);
                    System.out.printf("  Firebreak, /diag chain with /diag pods     : %6.1f ms%n", concurrent / 1e6);
                    System.out.printf("  one by one, shared clients                 : %6.1f ms  (%.1fx)%n", sequential / 1e6, (double) sequential / concurrent);
                    System.out.printf("  one by one, new client each (cast, kubectl): %6.1f ms  (%.1fx)%n", byHand / 1e6, (double) byHand / concurrent);
                }
            } finally {
                proxy.stop(0);
            }
        }
    }

    /**
     * {@code /diag chain} on Firebreak started as {@code ./firebreak run} starts it, with the
     * repository's configuration reaching the chain through the proxy: the median time from sending
     * a signed Slack slash command to the engine's answer on its response_url (Slack's stand-in
     * records it). Every contract read and balance of bot/chains.yaml, not only the seed's five.
     * Returns three medians: the command on the bot just started, then the same snapshot's probe
     * alone and the command once the bot has answered {@link #WARM_UP_ROUNDS} of them (at no
     * latency, so the warm-up stays short).
     */
    private static long[] onRunningBot(DemoChain devnet, String rpc, AtomicLong latency, int rounds, ExecutorService executor)
            throws IOException {
        Map<String, String> environment = new java.util.HashMap<>(devnet.env());
        environment.put("FIREBREAK_CHAIN_RPC_URL", rpc);
        environment.put("FIREBREAK_CHAIN_RPC_FALLBACK_URL", rpc);
        environment.put("SLACK_BOT_TOKEN", "xoxb-benchmark");
        environment.put("SLACK_SIGNING_SECRET", "benchmark-signing-secret");
        try (FakeSlackServer slack = FakeSlackServer.start()) {
            slack.addChannel("C0INCIDENTS", "incidents");
            slack.addChannel("C0ALERTS", "ops-alerts");
            environment.put("SLACK_API_URL", slack.apiUrl());
            try (BenchFirebreak firebreak = BenchFirebreak.start("sqlite", environment)) {
                SignedSlashCommands commands = new SignedSlashCommands(slack, firebreak.httpPort(), "benchmark-signing-secret");
                String alice = firebreak.idOf("alice", "slack");
                java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
                Runnable diagChain = () -> {
                    int answered = slack.calls("response_url").size();
                    if (commands.send(alice, "C0INCIDENTS", "/diag", "chain", "diag-chain." + sent.incrementAndGet()) != 200) {
                        throw new IllegalStateException("Slack's request was not acknowledged");
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (slack.calls("response_url").size() == answered) {
                        if (System.nanoTime() > deadline) throw new IllegalStateException("/diag chain got no answer in 30 s");
                        LockSupport.parkNanos(200_000);
                    }
                    String answer = slack.calls("response_url").get(answered).body();
                    if (!answer.contains("devnet")) throw new IllegalStateException("/diag chain answered: " + answer);
                };
                diagChain.run();                                  // connections, chain id check
                long justStarted = median(rounds, diagChain);
                long measured = latency.get();
                try (ChainOperations same = new ChainOperations(firebreak.config().chains(), null, Clock.systemUTC(), executor)) {
                    Probe snapshot = same.probes().get("chain.snapshot");
                    latency.set(0);
                    for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                        diagChain.run();
                        check(snapshot.run(Map.of()));
                    }
                    latency.set(measured);
                    long probe = median(rounds, () -> check(snapshot.run(Map.of())));
                    return new long[] {justStarted, probe, median(rounds, diagChain)};
                }
            }
        }
    }

    /** The real `cast` CLI from src/test/chain (npm @foundry-rs/cast-linux-amd64); fails unless it exits 0. */
    private static void cast(String rpc, List<String> command) {
        List<String> line = new java.util.ArrayList<>();
        line.add(java.nio.file.Path.of("src/test/chain/node_modules/@foundry-rs/cast-linux-amd64/bin/cast").toAbsolutePath().toString());
        line.addAll(command);
        line.add("--rpc-url");
        line.add(rpc);
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) throw new IllegalStateException("cast " + command + " failed: " + out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run cast; run npm ci in src/test/chain", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void join(java.util.concurrent.Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void check(ProbeResult result) {
        if (result.status() == ProbeResult.Status.ERROR) throw new IllegalStateException(result.summary());
    }

    /** The example configuration cut down to seed 002's P0 checks, reached through the proxy. */
    private static ChainsConfig p0Config(ChainsConfig full, String rpcUrl) {
        ChainsConfig.ChainSpec spec = full.chains().get("devnet");
        ChainsConfig.ContractSpec oracle = full.contracts().get("l2OutputOracle");
        return new ChainsConfig(
                Map.of("devnet", new ChainsConfig.ChainSpec(List.of(rpcUrl), spec.chainId(), 1, 3600, 5000, null, null, null)),
                Map.of("batcher", full.accounts().get("batcher"), "proposer", full.accounts().get("proposer")),
                Map.of("l2OutputOracle", new ChainsConfig.ContractSpec("devnet", oracle.address(),
                        List.of("latestOutputIndex()(uint256)"), List.of(), List.of(), null)),
                Map.of(), null);
    }

    private static long median(int rounds, Runnable body) {
        long[] times = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            body.run();
            times[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(times);
        return times[rounds / 2];
    }

    /** Forwards JSON-RPC to anvil after a fixed delay, standing in for a remote RPC provider. */
    private static HttpServer latencyProxy(String target, AtomicLong latencyMillis, ExecutorService executor) throws IOException {
        HttpClient client = HttpClient.newBuilder().executor(executor).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                byte[] body = in.readAllBytes();
                long delay = latencyMillis.get();
                if (delay > 0) LockSupport.parkNanos(Duration.ofMillis(delay).toNanos());
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(target))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, response.body().length);
                out.write(response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            }
        });
        server.start();
        return server;
    }

    private ChainFirstResponseBench() {}
}
