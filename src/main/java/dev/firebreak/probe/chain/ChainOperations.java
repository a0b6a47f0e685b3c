package dev.firebreak.probe.chain;

import dev.firebreak.probe.Action;
import dev.firebreak.probe.Probe;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * The chain probe family: diagnostics and approval-gated actions by handler name, for
 * {@code commands/diag-chain.yaml} and {@code commands/action-chain.yaml}.
 */
public final class ChainOperations implements AutoCloseable {

    private final ChainDirectory directory;
    private final ChainProbes probes;

    /**
     * @param config   {@code bot/chains.yaml}, already checked with {@link ChainsConfig#problems()}
     * @param clock    for block ages and deadlines
     * @param executor for concurrent checks and blocking RPC (virtual threads suit it)
     */
    public ChainOperations(ChainsConfig config, Clock clock, ExecutorService executor) {
        this.directory = new ChainDirectory(config);
        this.probes = new ChainProbes(directory, clock, executor);
    }

    public Map<String, Probe> probes() {
        Map<String, Probe> map = new LinkedHashMap<>();
        map.put("chain.head", probes::head);
        map.put("chain.id", probes::chainId);
        map.put("chain.sync", probes::syncStatus);
        map.put("chain.balance", probes::balance);
        map.put("chain.gas", probes::gas);
        map.put("chain.read", probes::read);
        map.put("chain.events", probes::events);
        map.put("chain.receipt", probes::receipt);
        map.put("chain.decode", probes::decode);
        map.put("chain.estimate", probes::estimate);
        map.put("chain.snapshot", probes::snapshot);
        return Map.copyOf(map);
    }

    public Map<String, Action> actions() {
        return Map.of();
    }

    @Override
    public void close() {
        directory.close();
    }
}
