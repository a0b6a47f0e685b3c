package dev.firebreak.demo;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.demo.http.DemoSequencerService;
import dev.firebreak.demo.http.DemoServiceStandIn;
import dev.firebreak.demo.k8s.DemoCluster;
import dev.firebreak.demo.sql.DemoSequencerDatabase;
import dev.firebreak.probe.k8s.ClusterConfig;
import dev.firebreak.probe.k8s.ClustersConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the seed runbooks touch, on this machine: anvil with the contract fixtures and an
 * op-node stand-in, a mock Kubernetes API with an {@code op-stack} namespace, the sequencer's HTTP
 * API, an EigenDA proxy health endpoint, and a sequencer database with a gap in its events. {@link #env()} and {@link #configure}
 * point the configuration in this repository at them; {@code ./firebreak demo} and the runbook
 * pack tests use it the same way.
 */
public final class DemoEnvironment implements AutoCloseable {

    /** The bearer token the demo sequencer expects; a demo value, not a secret anywhere else. */
    static final String SEQUENCER_TOKEN = "demo-sequencer-token";

    /** The kept chain's file, beside the store: see {@link #keptWith}. */
    public static final String CHAIN_STATE = "chain-state.json";

    private final DemoChain chain;
    private final DemoCluster cluster;
    private final DemoSequencerService sequencer;
    private final DemoServiceStandIn eigenDa;
    private final Path sequencerDatabase;
    private final String startedOverBecause;
    private final DemoServiceStandIn anchorService = DemoServiceStandIn.anchorService();
    private final DemoServiceStandIn pilApi = DemoServiceStandIn.pilApi();

    private DemoEnvironment(DemoChain chain, DemoCluster cluster, DemoSequencerService sequencer, DemoServiceStandIn eigenDa,
                            Path sequencerDatabase, String startedOverBecause) {
        this.chain = chain;
        this.cluster = cluster;
        this.sequencer = sequencer;
        this.eigenDa = eigenDa;
        this.sequencerDatabase = sequencerDatabase;
        this.startedOverBecause = startedOverBecause;
    }

    /** Starts every peer, the chain from genesis; the sequencer database is (re)created in {@code directory}. */
    public static DemoEnvironment start(Path directory, Clock clock) {
        return start(DemoChain.start(), directory, clock, null);
    }

    /**
     * Starts every peer for a demo whose store is {@code store} (a SQLite file), keeping the chain beside
     * it ({@value #CHAIN_STATE}): incidents and approvals name the chain's contracts, transactions and
     * state, so the store and the chain carry on together or start over together. They start over with
     * {@code fresh}, and also when only one of them was kept or the kept chain cannot be resumed, which
     * {@link #startedOverBecause()} then tells. The cluster, the services and the sequencer database
     * start from their fixtures every time.
     */
    public static DemoEnvironment keptWith(Path store, boolean fresh, Clock clock) {
        Path directory = store.toAbsolutePath().getParent();
        Path chainState = directory.resolve(CHAIN_STATE);
        String reason = null;
        if (!fresh && Files.exists(store) && !Files.exists(chainState)) reason = "its store was kept but not its chain (no " + CHAIN_STATE + ")";
        else if (!fresh && !Files.exists(store) && Files.exists(chainState)) reason = "its chain was kept but not its store";
        try {
            Files.createDirectories(directory);
            if (fresh || reason != null) {
                forgetStore(store);
                Files.deleteIfExists(chainState);
            }
            DemoChain.Resumption resumption = DemoChain.keptIn(chainState);
            if (resumption.refused() != null) {
                reason = "the kept chain could not be resumed: " + resumption.refused();
                forgetStore(store);
            }
            return start(resumption.chain(), directory, clock, reason);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void forgetStore(Path store) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(store.resolveSibling(store.getFileName() + suffix));
    }

    private static DemoEnvironment start(DemoChain chain, Path directory, Clock clock, String startedOverBecause) {
        DemoCluster cluster = null;
        DemoSequencerService sequencer = null;
        DemoServiceStandIn eigenDa = null;
        try {
            cluster = DemoCluster.start(clock, true);
            sequencer = DemoSequencerService.start(SEQUENCER_TOKEN);
            eigenDa = DemoServiceStandIn.eigenDaProxy();
            Files.createDirectories(directory);
            Path database = directory.resolve("demo-sequencer.db").toAbsolutePath();
            DemoSequencerDatabase.create(DemoSequencerDatabase.sqliteFile(database), clock);
            return new DemoEnvironment(chain, cluster, sequencer, eigenDa, database, startedOverBecause);
        } catch (IOException | SQLException | RuntimeException e) {
            if (eigenDa != null) eigenDa.close();
            if (sequencer != null) sequencer.close();
            if (cluster != null) cluster.close();
            chain.close();
            throw new IllegalStateException("cannot start the demo environment: " + e.getMessage(), e);
        }
    }

    /** The environment variables {@code bot/*.yaml} read, pointing at the demo peers, over {@code base}. */
    public Map<String, String> env(Map<String, String> base) {
        Map<String, String> env = new LinkedHashMap<>(base);
        env.putAll(chain.env());
        env.put("SEQUENCER_URL", sequencer.url());
        env.put("SEQUENCER_API_TOKEN", SEQUENCER_TOKEN);
        env.put("SEQUENCER_DB_URL", "jdbc:sqlite:" + sequencerDatabase);
        env.put("EIGENDA_URL", eigenDa.url());
        env.put("ANCHOR_SERVICE_URL", anchorService.url());
        env.put("PIL_API_URL", pilApi.url());
        return env;
    }

    /**
     * The loaded configuration with every cluster of {@code bot/clusters.yaml} reached at the demo
     * API server instead of its kube context; namespace, allow-list and approvals stay as written.
     */
    public FirebreakConfig configure(FirebreakConfig config) {
        Map<String, ClusterConfig> clusters = new TreeMap<>();
        config.clusters().clusters().forEach((name, c) -> clusters.put(name, new ClusterConfig(null, null, cluster.apiServerUrl(),
                null, c.namespace(), c.deployments(), c.approvals(), c.timeoutSeconds())));
        return config.withClusters(new ClustersConfig(clusters));
    }

    public DemoChain chain() {
        return chain;
    }

    /** For {@link #keptWith}: why the store and the chain started over although something was kept, if they did. */
    public Optional<String> startedOverBecause() {
        return Optional.ofNullable(startedOverBecause);
    }

    public DemoCluster cluster() {
        return cluster;
    }

    public DemoSequencerService sequencer() {
        return sequencer;
    }

    public DemoServiceStandIn eigenDa() {
        return eigenDa;
    }

    @Override
    public void close() {
        eigenDa.close();
        pilApi.close();
        anchorService.close();
        sequencer.close();
        cluster.close();
        chain.close();
    }
}
