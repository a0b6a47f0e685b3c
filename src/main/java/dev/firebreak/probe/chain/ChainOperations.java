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
    private final TimelockOperations timelocks;
    private final CommitmentReminders commitmentReminders;
    private final Set<String> transactionActions;
    private final PresignedPauses presigned;

    /** The action that stores a pre-signed Safe transaction, and the one that relays it. */
    static final String PRESIGNED_ADD = "chain.presigned.add";
    static final String PRESIGNED_RUN = "chain.presigned.run";
    static final String PRESIGNED_REMOVE = "chain.presigned.remove";

    /**
     * @param config   {@code bot/chains.yaml}, already checked with {@link ChainsConfig#problems()}
     * @param clock    for block ages and deadlines
     * @param executor for concurrent checks and blocking RPC (virtual threads suit it)
     */
    public ChainOperations(ChainsConfig config, SignedTransactions transactions, Clock clock, ExecutorService executor) {
        this(config, transactions, clock, executor, ActionLines.NONE);
    }

    /**
     * How the words after {@code /action schedule} name an action: parsed as {@code /action <words>} by the
     * command registry, so a scheduled action takes exactly the arguments it takes directly.
     */
    @FunctionalInterface
    public interface ActionLines {
        ActionLines NONE = line -> {
            throw new InvalidInput("scheduling through a timelock is not available in this deployment");
        };

        /** The action handler the line runs (e.g. {@code chain.unpause}) and its arguments; {@link InvalidInput} when it is none. */
        Parsed parse(String line);

        record Parsed(String action, Map<String, String> args) {}
    }

    /**
     * @param lines how {@code /action schedule} reads the action it schedules
     */
    public ChainOperations(ChainsConfig config, SignedTransactions transactions, Clock clock, ExecutorService executor,
                           ActionLines lines) {
        this(config, transactions, clock, executor, lines, Set.of());
    }

    /**
     * @param lines             how {@code /action schedule} reads the action it schedules
     * @param pauseCommandSafes the Safes that commands running {@code chain.pause} name with {@code via:} in
     *                          {@code commands/}: a contract paused through one is Safe-held, and the
     *                          pre-signed pause watcher keeps one ready for it
     */
    public ChainOperations(ChainsConfig config, SignedTransactions transactions, Clock clock, ExecutorService executor,
                           ActionLines lines, Set<String> pauseCommandSafes) {
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
        this.timelocks = transactions == null ? null : transactions.timelockOperations();
        this.commitmentReminders = transactions == null ? null : transactions.commitmentReminders();
        Map<String, ChainIntents.Resolver> direct = new LinkedHashMap<>();
        direct.put("chain.pause", intents::pause);
        direct.put("chain.unpause", intents::unpause);
        direct.put("chain.grantRole", intents::grantRole);
        direct.put("chain.revokeRole", intents::revokeRole);
        direct.put("chain.deauthorizeSequencer", intents::deauthorizeSequencer);
        direct.put("chain.call", intents::call);
        TimelockIntents scheduled = new TimelockIntents(directory, lines, direct, timelocks);
        Map<String, Action> map = new LinkedHashMap<>();
        map.put("chain.pause", new ChainTransactionAction("chain.pause", intents::pause, directory, sender, safes));
        map.put("chain.unpause", new ChainTransactionAction("chain.unpause", intents::unpause, directory, sender, safes));
        map.put("chain.grantRole", new ChainTransactionAction("chain.grantRole", intents::grantRole, directory, sender, safes));
        map.put("chain.revokeRole", new ChainTransactionAction("chain.revokeRole", intents::revokeRole, directory, sender, safes));
        map.put("chain.deauthorizeSequencer", new ChainTransactionAction("chain.deauthorizeSequencer", intents::deauthorizeSequencer, directory, sender, safes));
        map.put("chain.topUp", new ChainTransactionAction("chain.topUp", intents::topUp, directory, sender, safes));
        map.put("chain.call", new ChainTransactionAction("chain.call", intents::call, directory, sender, safes, null,
                commitmentReminders, clock, intent -> {}));
        map.put("chain.schedule", new ChainTransactionAction("chain.schedule", scheduled::schedule, directory, sender, safes,
                timelocks, clock, intent -> {}));
        map.put("chain.executeScheduled", new ChainTransactionAction("chain.executeScheduled", scheduled::executeScheduled, directory,
                sender, safes, timelocks, clock, scheduled::refuseUnlessReady));
        this.presigned = new PresignedPauses(directory, sender, intents, (ChainTransactionAction) map.get("chain.pause"), safes,
                transactions == null ? null : transactions.dataSource(), clock, pauseCommandSafes);
        map.put(PRESIGNED_RUN, presigned.run());
        this.transactionActions = Set.copyOf(map.keySet());
        map.put(PRESIGNED_ADD, presigned.add());   // stores a document the owners signed; sends nothing
        map.put(PRESIGNED_REMOVE, presigned.remove());   // forgets one; sends nothing
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
        map.put("chain.commitment", new CommitmentProbe(directory)::prepare);
        map.put("chain.presigned", Probe.withoutArguments(presigned::overview));
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

    /**
     * The timelock operations Firebreak scheduled and the commitments waiting on commit-then-activate
     * contracts, for the reminders at their ETA and the late alerts.
     */
    public ScheduledOperations scheduledOperations() {
        return new ScheduledOperations(directory, timelocks, commitmentReminders);
    }

    /**
     * Each configured timelock whose {@code getMinDelay()} is not the configured {@code minDelay}, as
     * {@code "timelocks.<name>.minDelay: ..."}; a timelock that cannot be reached is not judged.
     */
    public java.util.List<String> timelockDelayWarnings() {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        directory.config().timelocks().forEach((name, spec) -> {
            if (spec.minDelay() == null) return;
            try {
                long onChain = new Timelock(directory, spec).minDelaySeconds();
                if (onChain != spec.minDelay().toSeconds()) {
                    warnings.add("timelocks." + name + ".minDelay: " + dev.firebreak.kernel.Durations.format(spec.minDelay())
                            + " is configured, but the timelock at " + spec.address() + " says getMinDelay() = " + onChain + " s ("
                            + dev.firebreak.kernel.Durations.format(Duration.ofSeconds(onChain)) + "); set minDelay to what the contract enforces");
                }
            } catch (Timelock.NotATimelock e) {
                warnings.add("timelocks." + name + ".address: " + e.getMessage());
            } catch (ChainUnreachable | InvalidInput e) {
                // not reachable from here: judged where it is
            }
        });
        return warnings;
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
