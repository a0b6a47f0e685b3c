package dev.firebreak.probe.chain;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Redactor;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.Probe;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The chain probe family: diagnostics and approval-gated actions by handler name, for
 * {@code commands/diag-chain.yaml} and {@code commands/action-chain.yaml}.
 */
public final class ChainOperations implements AutoCloseable {

    private final ChainDirectory directory;
    private final ChainProbes probes;
    private final Map<String, Action> actions;
    private final Set<String> transactionActions;
    private final PresignedPauses presigned;

    /** The action that stores a pre-signed Safe transaction, and the one that relays it. */
    static final String PRESIGNED_ADD = "chain.presigned.add";
    static final String PRESIGNED_RUN = "chain.presigned.run";

    /**
     * @param config   {@code bot/chains.yaml}, already checked with {@link ChainsConfig#problems()}
     * @param clock    for block ages and deadlines
     * @param executor for concurrent checks and blocking RPC (virtual threads suit it)
     */
    public ChainOperations(ChainsConfig config, SignedTransactions transactions, Clock clock, ExecutorService executor) {
        // RPC URLs may carry API keys: mask them wherever they would show
        config.chains().values().forEach(chain -> {
            chain.rpcUrls().forEach(Redactor::rememberUrlCredentials);
            Redactor.rememberUrlCredentials(chain.opNodeUrl());
        });
        this.directory = new ChainDirectory(config);
        this.probes = new ChainProbes(directory, clock, executor);
        TransactionSender sender = new TransactionSender(directory, transactions, clock);
        ChainIntents intents = new ChainIntents(directory);
        SafeRoute safes = new SafeRoute(directory, sender, transactions == null ? null : transactions.safeProposals(), clock);
        Map<String, Action> map = new LinkedHashMap<>();
        map.put("chain.pause", new ChainTransactionAction("chain.pause", intents::pause, directory, sender, safes));
        map.put("chain.unpause", new ChainTransactionAction("chain.unpause", intents::unpause, directory, sender, safes));
        map.put("chain.grantRole", new ChainTransactionAction("chain.grantRole", intents::grantRole, directory, sender, safes));
        map.put("chain.revokeRole", new ChainTransactionAction("chain.revokeRole", intents::revokeRole, directory, sender, safes));
        map.put("chain.deauthorizeSequencer", new ChainTransactionAction("chain.deauthorizeSequencer", intents::deauthorizeSequencer, directory, sender, safes));
        map.put("chain.topUp", new ChainTransactionAction("chain.topUp", intents::topUp, directory, sender, safes));
        map.put("chain.call", new ChainTransactionAction("chain.call", intents::call, directory, sender, safes));
        this.presigned = new PresignedPauses(directory, sender, intents, (ChainTransactionAction) map.get("chain.pause"), safes,
                transactions == null ? null : transactions.dataSource(), clock);
        map.put(PRESIGNED_RUN, presigned.run());
        this.transactionActions = Set.copyOf(map.keySet());
        map.put(PRESIGNED_ADD, presigned.add());   // stores a document the owners signed; sends nothing
        this.actions = Map.copyOf(map);
    }

    public Map<String, Probe> probes() {
        Map<String, Probe> map = new LinkedHashMap<>();
        map.put("chain.head", probes::head);
        map.put("chain.id", probes::chainId);
        map.put("chain.sync", probes::syncStatus);
        map.put("chain.l1head", probes::l1Head);
        map.put("chain.balance", probes::balance);
        map.put("chain.gas", probes::gas);
        map.put("chain.read", probes::read);
        map.put("chain.events", probes::events);
        map.put("chain.outputAge", probes::outputAge);
        map.put("chain.reverts", probes::reverts);
        map.put("chain.receipt", probes::receipt);
        map.put("chain.decode", probes::decode);
        map.put("chain.estimate", probes::estimate);
        map.put("chain.snapshot", probes::snapshot);
        map.put("chain.presigned", args -> presigned.overview());
        map.replaceAll((name, probe) -> Probe.timed(probe, this::probeTimeout));
        return Map.copyOf(map);
    }

    /** The configured timeout of the chain a probe's arguments reach (its contract's, its account's), else the longest. */
    private Duration probeTimeout(Map<String, String> args) {
        ChainsConfig config = directory.config();
        try {
            String chain = args.get("contract") != null ? directory.contract(args.get("contract")).chain()
                    : args.get("chain") != null || config.chains().size() == 1 ? directory.chainName(args.get("chain"))
                    : config.accounts().containsKey(args.getOrDefault("account", "")) ? config.accounts().get(args.get("account")).chain()
                    : null;
            if (chain != null && config.chains().containsKey(chain)) return config.chains().get(chain).probeTimeout();
        } catch (InvalidInput unknown) {
            return Probe.DEFAULT_TIMEOUT; // the probe itself says what is wrong
        }
        return config.chains().values().stream().map(ChainsConfig.ChainSpec::probeTimeout)
                .max(Comparator.naturalOrder()).orElse(Probe.DEFAULT_TIMEOUT);
    }

    public Map<String, Action> actions() {
        return actions;
    }

    /** The actions that send a transaction: a command that runs one must name an approval policy. */
    public Set<String> transactionActions() {
        return transactionActions;
    }

    @Override
    public void close() {
        directory.close();
    }
}
