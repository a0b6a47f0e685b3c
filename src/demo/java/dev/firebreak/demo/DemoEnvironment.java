package dev.firebreak.demo;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.approval.ApprovalService;
import dev.firebreak.incident.IncidentTimeline;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.demo.chain.DemoPresignedPause;
import dev.firebreak.demo.chain.DemoSigning;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.Probe;
import dev.firebreak.demo.http.DemoSequencerService;
import dev.firebreak.demo.http.DemoServiceStandIn;
import dev.firebreak.demo.k8s.DemoCluster;
import dev.firebreak.demo.sql.DemoPostgres;
import dev.firebreak.demo.sql.DemoSequencerDatabase;

import javax.sql.DataSource;
import dev.firebreak.probe.chain.ChainsConfig;
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
import java.util.concurrent.CompletableFuture;

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
    private final SequencerDatabase sequencerDatabase;
    private final String startedOverBecause;
    private final DemoServiceStandIn anchorService = DemoServiceStandIn.anchorService();
    private final DemoServiceStandIn pilApi = DemoServiceStandIn.pilApi();

    private DemoEnvironment(DemoChain chain, DemoCluster cluster, DemoSequencerService sequencer, DemoServiceStandIn eigenDa,
                            SequencerDatabase sequencerDatabase, String startedOverBecause) {
        this.chain = chain;
        this.cluster = cluster;
        this.sequencer = sequencer;
        this.eigenDa = eigenDa;
        this.sequencerDatabase = sequencerDatabase;
        this.startedOverBecause = startedOverBecause;
    }

    /**
     * Starts every peer, the chain from genesis; the sequencer database is (re)created on the
     * PostgreSQL {@code env} leads to ({@link DemoPostgres#locate}; a private one is deleted at the
     * end), else in SQLite in {@code directory}.
     */
    public static DemoEnvironment start(Path directory, Clock clock, Map<String, String> env) {
        return start(DemoChain.start(), directory, clock, null, env, false);
    }

    /** As {@link #start(Path, Clock, Map)} with this process's environment. */
    public static DemoEnvironment start(Path directory, Clock clock) {
        return start(directory, clock, System.getenv());
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
        return keptWith(store, fresh, clock, System.getenv());
    }

    /** As {@link #keptWith(Path, boolean, Clock)}, finding PostgreSQL through {@code env} ({@link DemoPostgres#locate}). */
    public static DemoEnvironment keptWith(Path store, boolean fresh, Clock clock, Map<String, String> env) {
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
            return start(resumption.chain(), directory, clock, reason, env, true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void forgetStore(Path store) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm")) Files.deleteIfExists(store.resolveSibling(store.getFileName() + suffix));
    }

    private static DemoEnvironment start(DemoChain chain, Path directory, Clock clock, String startedOverBecause,
                                         Map<String, String> env, boolean keep) {
        DemoCluster cluster = null;
        DemoSequencerService sequencer = null;
        DemoServiceStandIn eigenDa = null;
        // PostgreSQL starts while the other peers do
        CompletableFuture<DemoPostgres.Located> postgres = CompletableFuture.supplyAsync(
                () -> DemoPostgres.locate(env, directory, keep));
        SequencerDatabase database = null;
        try {
            cluster = DemoCluster.start(clock, true);
            sequencer = DemoSequencerService.start(SEQUENCER_TOKEN);
            eigenDa = DemoServiceStandIn.eigenDaProxy();
            Files.createDirectories(directory);
            database = switch (postgres.join()) {
                case DemoPostgres.Found found -> new SequencerDatabase.OnPostgres(found.postgres());
                case DemoPostgres.Missing missing -> new SequencerDatabase.OnSqlite(
                        directory.resolve("demo-sequencer.db").toAbsolutePath(), missing.reason());
            };
            DemoSequencerDatabase.create(database.dataSource(), clock);
            chain.letSafePause();
            return new DemoEnvironment(chain, cluster, sequencer, eigenDa, database, startedOverBecause);
        } catch (IOException | SQLException | RuntimeException e) {
            if (database != null) database.close();
            else postgres.thenAccept(located -> {
                if (located instanceof DemoPostgres.Found found) found.postgres().close();
            });
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
        env.putAll(sequencerDatabase.env());
        env.put("EIGENDA_URL", eigenDa.url());
        env.put("ANCHOR_SERVICE_URL", anchorService.url());
        env.put("PIL_API_URL", pilApi.url());
        return env;
    }

    /**
     * The loaded configuration with every cluster of {@code bot/clusters.yaml} reached at the demo
     * API server instead of its kube context (namespace, allow-list and approvals stay as written),
     * and the PIL orchestrator's pause sent through the demo Safe ({@value #PAUSE_SAFE}), whose
     * owners sign it with {@code /demo sign}; its unpause goes through the timelock as
     * {@code bot/chains.yaml} configures it ({@code /action schedule unpause pilOrchestrator}).
     */
    public FirebreakConfig configure(FirebreakConfig config) {
        Map<String, ClusterConfig> clusters = new TreeMap<>();
        config.clusters().clusters().forEach((name, c) -> clusters.put(name, new ClusterConfig(null, null, cluster.apiServerUrl(),
                null, c.namespace(), c.deployments(), c.approvals(), c.timeoutSeconds())));
        ChainsConfig chains = config.chains();
        ChainsConfig.ContractSpec orchestrator = chains.contracts().get(PAUSED_THROUGH_SAFE);
        if (orchestrator != null && chains.safes().containsKey(PAUSE_SAFE)) {
            chains = chains.withContract(PAUSED_THROUGH_SAFE, orchestrator.viaSafe(PAUSE_SAFE, List.of("pause()")));
        }
        return config.withClusters(new ClustersConfig(clusters)).withChains(chains);
    }

    /**
     * The demo's own commands, beside {@code commands/}: {@code /demo sign A-N as owner2}, which the
     * production build neither lists nor routes. Their handlers come from {@link #handlers}.
     */
    public CommandRegistry commands() {
        return DemoSigning.commands();
    }

    /**
     * The handlers of {@link #commands()}, on the engine's approvals; first, unless a ready one is
     * there, a pre-signed pause of the PIL orchestrator is signed by two owners and stored through the
     * engine's own {@code /action presigned add} ({@link DemoPresignedPause}), on the audit log and
     * said in one line on stderr.
     */
    public Map<String, CommandHandler> wire(ApprovalService approvals, Map<String, Action> actions, Map<String, Probe> probes,
                                            IncidentTimeline timeline) {
        System.err.println(DemoPresignedPause.seed(chain, actions, probes, timeline));
        return new DemoSigning(chain, approvals).handlers();
    }

    /** The contract whose pause the demo sends through its Safe, and that Safe, as bot/chains.yaml names them. */
    public static final String PAUSED_THROUGH_SAFE = "pilOrchestrator";
    public static final String PAUSE_SAFE = "pilSafe";

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

    /**
     * Where the demo's sequencer database is, in one line for its first screen; on SQLite, why there
     * is no PostgreSQL and which of {@code config}'s SQL diagnostics therefore do not run.
     */
    public String sequencerDatabaseLine(FirebreakConfig config) {
        if (sequencerDatabase instanceof SequencerDatabase.OnPostgres postgres) {
            return "Sequencer database: " + postgres.postgres().description() + ", as the seed's: every SQL diagnostic runs.";
        }
        List<String> postgresOnly = config.commands().all().stream()
                .filter(c -> c.target() != null && "sql.query".equals(c.target().name()) && c.with() != null)
                .filter(c -> {
                    var query = config.databases().queries().get(c.with().get("query"));
                    return query != null && query.postgresqlOnly();
                })
                .map(c -> c.subcommand()).toList();
        return "Sequencer database: SQLite, since " + ((SequencerDatabase.OnSqlite) sequencerDatabase).why() + ". "
                + postgresOnly.size() + " SQL diagnostics need PostgreSQL and answer so here: /diag " + String.join(", ", postgresOnly) + ".";
    }

    /** Whether the sequencer database is on PostgreSQL, as the seed's is (every SQL diagnostic runs). */
    public boolean sequencerOnPostgres() {
        return sequencerDatabase instanceof SequencerDatabase.OnPostgres;
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
        sequencerDatabase.close();
    }

    /** The demo sequencer's database: on PostgreSQL, or in a SQLite file with the reason there is no PostgreSQL. */
    private sealed interface SequencerDatabase extends AutoCloseable {

        DataSource dataSource();

        /** The variables {@code bot/databases.yaml} reads for the {@code sequencer} database. */
        Map<String, String> env();

        @Override
        void close();

        record OnPostgres(DemoPostgres postgres) implements SequencerDatabase {
            public DataSource dataSource() {
                return postgres.dataSource();
            }

            public Map<String, String> env() {
                return Map.of("SEQUENCER_DB_URL", postgres.url(), "SEQUENCER_DB_USER", postgres.user(),
                        "SEQUENCER_DB_PASSWORD", postgres.password());
            }

            public void close() {
                postgres.close();
            }
        }

        record OnSqlite(Path file, String why) implements SequencerDatabase {
            public DataSource dataSource() {
                return DemoSequencerDatabase.sqliteFile(file);
            }

            public Map<String, String> env() {
                return Map.of("SEQUENCER_DB_URL", "jdbc:sqlite:" + file);
            }

            public void close() {
            }
        }
    }
}
