package dev.firebreak.probe.chain;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The contents of {@code bot/chains.yaml}: chains and their RPC endpoints, watched accounts, contracts
 * with the functions and events the bot may use, signers, the limits on value-moving actions, and
 * the Safes some contracts' actions go through.
 */
public record ChainsConfig(
        Map<String, ChainSpec> chains,
        Map<String, AccountSpec> accounts,
        Map<String, ContractSpec> contracts,
        Map<String, SignerSpec> signers,
        @JsonProperty("limits") ActionLimits limits,
        Map<String, SafeSpec> safes,
        Map<String, TimelockSpec> timelocks) {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    public ChainsConfig {
        chains = chains == null ? Map.of() : Map.copyOf(chains);
        accounts = accounts == null ? Map.of() : Map.copyOf(accounts);
        contracts = contracts == null ? Map.of() : Map.copyOf(contracts);
        signers = signers == null ? Map.of() : Map.copyOf(signers);
        limits = limits == null ? ActionLimits.NONE : limits;
        safes = safes == null ? Map.of() : Map.copyOf(safes);
        timelocks = timelocks == null ? Map.of() : Map.copyOf(timelocks);
    }

    /** A configuration without timelocks. */
    public ChainsConfig(Map<String, ChainSpec> chains, Map<String, AccountSpec> accounts, Map<String, ContractSpec> contracts,
                        Map<String, SignerSpec> signers, ActionLimits limits, Map<String, SafeSpec> safes) {
        this(chains, accounts, contracts, signers, limits, safes, Map.of());
    }

    /** The same configuration with {@code name}'s contract replaced (or added), everything else kept. */
    public ChainsConfig withContract(String name, ContractSpec contract) {
        Map<String, ContractSpec> changed = new java.util.HashMap<>(contracts);
        changed.put(name, contract);
        return new ChainsConfig(chains, accounts, changed, signers, limits, safes, timelocks);
    }

    /** The same configuration with these timelocks. */
    public ChainsConfig withTimelocks(Map<String, TimelockSpec> timelocks) {
        return new ChainsConfig(chains, accounts, contracts, signers, limits, safes, timelocks);
    }

    /** The timelock a contract's function goes through ({@code timelocks.<name>.calls}), if any. */
    public java.util.Optional<String> timelockOf(String contract, String function) {
        return timelocks.entrySet().stream()
                .filter(t -> t.getValue().calls().getOrDefault(contract, List.of()).stream()
                        .anyMatch(f -> FunctionSignature.parse(f).canonical().equals(function)
                                || FunctionSignature.parse(f).name().equals(function)))
                .map(Map.Entry::getKey).sorted().findFirst();
    }

    /** A configuration without Safes. */
    public ChainsConfig(Map<String, ChainSpec> chains, Map<String, AccountSpec> accounts, Map<String, ContractSpec> contracts,
                        Map<String, SignerSpec> signers, ActionLimits limits) {
        this(chains, accounts, contracts, signers, limits, Map.of(), Map.of());
    }

    static boolean isAddress(String value) {
        return value != null && ADDRESS.matcher(value).matches();
    }

    /** Every semantic problem as {@code "<path>: <what is wrong>; <how to fix>"}; empty when usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (chains.isEmpty()) problems.add("chains: empty; define at least one chain with rpcUrls and chainId");
        chains.forEach((name, chain) -> chain.problems("chains." + name, problems));
        accounts.forEach((name, account) -> {
            String path = "accounts." + name;
            requireChain(path, account.chain(), problems);
            if (!isAddress(account.address())) problems.add(path + ".address: '" + account.address()
                    + "' is not an address; use 0x followed by 40 hex digits");
            if (account.warningBelowEth() != null && account.criticalBelowEth() != null
                    && account.criticalBelowEth().compareTo(account.warningBelowEth()) > 0) {
                problems.add(path + ".criticalBelowEth: above warningBelowEth; the critical threshold must be the lower one");
            }
        });
        contracts.forEach((name, contract) -> {
            String path = "contracts." + name;
            requireChain(path, contract.chain(), problems);
            if (!isAddress(contract.address())) problems.add(path + ".address: '" + contract.address()
                    + "' is not an address; use 0x followed by 40 hex digits");
            checkSignatures(path + ".reads", contract.reads(), true, problems);
            checkSignatures(path + ".actions", contract.actions(), false, problems);
            List<String> eventNames = new ArrayList<>();
            for (int i = 0; i < contract.events().size(); i++) {
                try {
                    eventNames.add(EventSignature.parse(contract.events().get(i)).name());
                } catch (IllegalArgumentException e) {
                    problems.add(path + ".events[" + i + "]: " + e.getMessage());
                }
            }
            contract.eventLevels().forEach((event, level) -> {
                if (!eventNames.contains(event)) problems.add(path + ".eventLevels." + event + ": not one of the contract's events "
                        + eventNames + "; declare it under events: first");
                if (!ContractSpec.EVENT_LEVELS.contains(level)) problems.add(path + ".eventLevels." + event + ": '" + level
                        + "' is not a level; use warning or critical");
            });
            for (String role : contract.roles()) {
                if (role == null || !role.matches("[A-Za-z_][A-Za-z0-9_]*")) problems.add(path + ".roles: '" + role
                        + "' is not a role name; write the name the contract defines, e.g. PAUSER_ROLE");
            }
            if (contract.via() != null) {
                SafeSpec safe = safes.get(contract.via().safe());
                if (safe == null) problems.add(path + ".via.safe: unknown Safe '" + contract.via().safe() + "'; use one of "
                        + new java.util.TreeSet<>(safes.keySet()) + " or add it under safes:");
                else if (!safe.chain().equals(contract.chain())) problems.add(path + ".via.safe: Safe '" + contract.via().safe()
                        + "' is on chain '" + safe.chain() + "', the contract on '" + contract.chain() + "'; name a Safe on the contract's chain");
                for (String function : contract.via().functions()) {
                    String canonical;
                    try {
                        canonical = FunctionSignature.parse(function).canonical();
                    } catch (IllegalArgumentException e) {
                        problems.add(path + ".via.functions: '" + function + "' is not a function signature; " + e.getMessage());
                        continue;
                    }
                    boolean listed = contract.actions().stream().anyMatch(a -> {
                        try {
                            return FunctionSignature.parse(a).canonical().equals(canonical);
                        } catch (IllegalArgumentException e) {
                            return false;
                        }
                    });
                    if (!listed) problems.add(path + ".via.functions: '" + function + "' is not one of the contract's actions "
                            + contract.actions() + "; list it under actions: first, or remove it");
                }
            }
            if (!contract.actions().isEmpty()) {
                if (contract.signer() == null) problems.add(path + ".signer: missing; name the signer from signers: that sends this contract's actions");
                else if (!signers.containsKey(contract.signer())) problems.add(path + ".signer: unknown signer '"
                        + contract.signer() + "'; use one of " + signers.keySet());
            }
        });
        // an empty key is allowed (diagnostics need none; actions are refused at plan time); a malformed one is not
        signers.forEach((name, signer) -> {
            if (signer.key() == null) {
                problems.add("signers." + name + ".key: missing; set it from ${ENV_VAR} or file:/path");
            } else if (signer.key().isPresent() && !signer.key().reveal().trim().matches("(0x)?[0-9a-fA-F]{64}")) {
                problems.add("signers." + name + ".key: not a private key (" + signer.key().source()
                        + "); give 32 bytes as 64 hex digits");
            }
        });
        safes.forEach((name, safe) -> {
            String path = "safes." + name;
            requireChain(path, safe.chain(), problems);
            if (!isAddress(safe.address())) problems.add(path + ".address: '" + safe.address()
                    + "' is not an address; use the Safe's address, 0x followed by 40 hex digits");
            if (!SafeTransaction.knownVersion(safe.version())) problems.add(path + ".version: '" + safe.version()
                    + "' is not a Safe version; give the one the Safe's VERSION() returns, e.g. 1.4.1");
            if (safe.signingWindow().isNegative() || safe.signingWindow().isZero()) problems.add(path
                    + ".signingWindow: must be positive; e.g. 1h, how long owners have to sign after the chat approval");
            TxService service = safe.service();
            if (service != null) {
                if (!service.url().startsWith("http://") && !service.url().startsWith("https://")) problems.add(path
                        + ".txService.url: not an http(s) URL; e.g. https://api.safe.global/tx-service/eth");
                if (service.proposer() != null && !signers.containsKey(service.proposer())) problems.add(path
                        + ".txService.proposer: unknown signer '" + service.proposer() + "'; use one of " + signers.keySet());
            }
        });
        timelocks.forEach((name, timelock) -> timelock.problems("timelocks." + name, this, problems));
        ActionLimits.TopUp topUp = limits.topUp();
        if (topUp != null) {
            if (topUp.signer() == null || !signers.containsKey(topUp.signer())) problems.add("limits.topUp.signer: unknown signer '"
                    + topUp.signer() + "'; use one of " + signers.keySet());
            if (topUp.capEth() == null || topUp.capEth().signum() <= 0) problems.add("limits.topUp.capEth: missing or not positive; set the most ETH one top-up may send, e.g. 5");
            for (String recipient : topUp.allowList()) {
                if (!accounts.containsKey(recipient)) problems.add("limits.topUp.allowList: unknown account '" + recipient
                        + "'; list account names from accounts:");
            }
        }
        return problems;
    }

    private void requireChain(String path, String chain, List<String> problems) {
        if (chain == null || !chains.containsKey(chain)) problems.add(path + ".chain: unknown chain '" + chain
                + "'; use one of " + chains.keySet());
    }

    private static void checkSignatures(String path, List<String> signatures, boolean reads, List<String> problems) {
        for (int i = 0; i < signatures.size(); i++) {
            try {
                FunctionSignature signature = FunctionSignature.parse(signatures.get(i));
                if (reads && signature.outputs().isEmpty()) problems.add(path + "[" + i + "]: '" + signatures.get(i)
                        + "' has no return types; write it as name(args)(returns), e.g. paused()(bool)");
            } catch (IllegalArgumentException e) {
                problems.add(path + "[" + i + "]: " + e.getMessage());
            }
        }
    }

    public record ChainSpec(
            List<String> rpcUrls,
            long chainId,
            Integer confirmations,
            Integer stallAfterSeconds,
            Integer timeoutMillis,
            String opNodeUrl,
            Long maxSafeLag,
            Long maxFinalizedLag,
            Integer l1StaleAfterSeconds) {

        /** A chain whose op-node's L1 head is judged by the default age. */
        public ChainSpec(List<String> rpcUrls, long chainId, Integer confirmations, Integer stallAfterSeconds, Integer timeoutMillis,
                         String opNodeUrl, Long maxSafeLag, Long maxFinalizedLag) {
            this(rpcUrls, chainId, confirmations, stallAfterSeconds, timeoutMillis, opNodeUrl, maxSafeLag, maxFinalizedLag, null);
        }

        public ChainSpec {
            rpcUrls = rpcUrls == null ? List.of() : List.copyOf(rpcUrls);
            confirmations = confirmations == null ? 1 : confirmations;
            stallAfterSeconds = stallAfterSeconds == null ? 60 : stallAfterSeconds;
            timeoutMillis = timeoutMillis == null ? 5000 : timeoutMillis;
            maxSafeLag = maxSafeLag == null ? 600L : maxSafeLag;
            maxFinalizedLag = maxFinalizedLag == null ? 2400L : maxFinalizedLag;
            l1StaleAfterSeconds = l1StaleAfterSeconds == null ? 120 : l1StaleAfterSeconds;
        }

        /** The most calls one chain probe makes in turn on an endpoint: the chain id check, then up to two reads. */
        static final int CALLS_PER_PROBE = 3;

        /**
         * How long one probe of this chain may take: each of its calls within {@code timeoutMillis}, on
         * each endpoint in turn when the one before does not answer.
         */
        public java.time.Duration probeTimeout() {
            return java.time.Duration.ofMillis((long) timeoutMillis * CALLS_PER_PROBE * Math.max(1, rpcUrls.size()));
        }

        /** RPC URLs may carry API keys: shown by host only. */
        @Override
        public String toString() {
            return "ChainSpec[rpcHosts=" + rpcUrls.stream().map(ChainClient::host).toList() + ", chainId=" + chainId
                    + ", confirmations=" + confirmations + ", stallAfterSeconds=" + stallAfterSeconds + "]";
        }

        void problems(String path, List<String> problems) {
            if (rpcUrls.isEmpty()) problems.add(path + ".rpcUrls: empty; list at least one RPC URL, the preferred one first");
            for (int i = 0; i < rpcUrls.size(); i++) {
                String url = rpcUrls.get(i);
                if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                    problems.add(path + ".rpcUrls[" + i + "]: not an http(s) URL; write it as https://host/path");
                }
            }
            if (chainId <= 0) problems.add(path + ".chainId: missing; set the chain id the RPC must report, e.g. 8453 for Base");
            if (confirmations < 1) problems.add(path + ".confirmations: " + confirmations + " is below 1; use 1 or more");
            if (stallAfterSeconds < 1) problems.add(path + ".stallAfterSeconds: must be positive; e.g. 60");
            if (timeoutMillis < 100) problems.add(path + ".timeoutMillis: " + timeoutMillis + " is too short; use 100 or more");
        }
    }

    /** A watched account; balances below the thresholds are a warning or critical. */
    public record AccountSpec(String chain, String address, BigDecimal warningBelowEth, BigDecimal criticalBelowEth) {}

    /**
     * A contract the bot may read and act on. Functions are human-readable signatures in the
     * style of {@code cast}: {@code paused()(bool)}, {@code hasRole(bytes32,address)(bool)},
     * {@code pause()}. Events are written like {@code Paused(address)} or with
     * {@code indexed} markers: {@code OutputProposed(bytes32 indexed,uint256 indexed,uint256 indexed,uint256)}.
     *
     * @param eventLevels events whose mere appearance is a finding, by name: {@code warning} or
     *                    {@code critical} (seed 001: {@code CodehashMismatch} is critical)
     * Roles are the AccessControl role names the contract defines ({@code GOVERNANCE_ROLE} stands for
     * keccak256 of its name, {@code DEFAULT_ADMIN_ROLE} for zero): only these names are accepted
     * where a function takes a bytes32, anything else must be given as its 0x bytes32.
     */
    public record ContractSpec(
            String chain,
            String address,
            List<String> reads,
            List<String> events,
            List<String> actions,
            String signer,
            Map<String, String> eventLevels,
            List<String> roles,
            Via via) {

        public static final List<String> EVENT_LEVELS = List.of("warning", "critical");

        public ContractSpec {
            reads = reads == null ? List.of() : List.copyOf(reads);
            events = events == null ? List.of() : List.copyOf(events);
            actions = actions == null ? List.of() : List.copyOf(actions);
            eventLevels = eventLevels == null ? Map.of() : Map.copyOf(eventLevels);
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        /** A contract without event levels or configured roles. */
        public ContractSpec(String chain, String address, List<String> reads, List<String> events, List<String> actions,
                            String signer) {
            this(chain, address, reads, events, actions, signer, Map.of(), List.of(), null);
        }

        /** The same contract with its actions sent through a Safe. */
        public ContractSpec viaSafe(String safe) {
            return new ContractSpec(chain, address, reads, events, actions, signer, eventLevels, roles, new Via(safe, List.of()));
        }

        /** The same contract with only these of its actions ({@code pause()}) sent through a Safe, the others as they were. */
        public ContractSpec viaSafe(String safe, List<String> functions) {
            return new ContractSpec(chain, address, reads, events, actions, signer, eventLevels, roles, new Via(safe, functions));
        }
    }

    /**
     * How a contract's actions reach it: {@code via: {safe: <name>}} makes each one a Safe transaction
     * that the Safe's owners sign after the chat approval; the contract's {@code signer} then only
     * relays the signed transaction ({@code execTransaction}) and need not be an owner. With
     * {@code functions: [pause()]} only those of its actions go through the Safe, the others are sent
     * by the signer as before.
     */
    public record Via(String safe, List<String> functions) {
        public Via {
            functions = functions == null ? List.of() : List.copyOf(functions);
        }

        /** Whether the action {@code function} (its canonical signature, e.g. {@code pause()}) goes through the Safe. */
        public boolean covers(String function) {
            return functions.isEmpty() || functions.stream().anyMatch(f -> {
                try {
                    return FunctionSignature.parse(f).canonical().equals(function);
                } catch (IllegalArgumentException e) {
                    return false;
                }
            });
        }
    }

    /**
     * A Safe multisig: its address, the version its {@code VERSION()} returns (which decides the
     * EIP-712 domain), and how long its owners have to sign once the chat approval authorised a
     * proposal ({@code signingWindow}, 1h unless set).
     */
    public record SafeSpec(String chain, String address, String version, java.time.Duration signingWindow, TxService txService) {
        public SafeSpec {
            signingWindow = signingWindow == null ? java.time.Duration.ofHours(1) : signingWindow;
        }

        /** A Safe that owners sign for on chain only. */
        public SafeSpec(String chain, String address, String version, java.time.Duration signingWindow) {
            this(chain, address, version, signingWindow, null);
        }

        /** The Transaction Service when one is configured (its URL set), else null. */
        TxService service() {
            return txService == null || txService.url() == null || txService.url().isBlank() ? null : txService;
        }
    }

    /**
     * The Safe Transaction Service the owners' wallets use (optional). Firebreak proposes each
     * approved transaction there, signed by {@code proposer} (a delegate of the owners, never an
     * owner itself), reads the owners' confirmations, and links to the transaction in the Safe app
     * ({@code chainShortName}, e.g. eth, base, oeth).
     */
    public record TxService(String url, dev.firebreak.kernel.Secret apiKey, String proposer, String chainShortName) {
        @Override
        public String toString() {
            return "TxService[url=" + url + ", apiKey=****, proposer=" + proposer + "]";
        }
    }

    /**
     * An OpenZeppelin {@code TimelockController}: where it is, who proposes and executes through it (a
     * Safe, whose owners sign, or a signer's key), the delay its {@code getMinDelay()} is expected to
     * return, the grace after the ETA before a late execution is alerted (seed 001: ETA + grace + 300 s),
     * and the contracts' functions that go through it ({@code calls: {pilOrchestrator: [unpause()]}}):
     * those are scheduled with {@code /action schedule} and run with {@code /action execute-scheduled}.
     */
    public record TimelockSpec(String chain, String address, Proposer proposer, java.time.Duration minDelay,
                               java.time.Duration grace, Map<String, List<String>> calls) {

        public TimelockSpec {
            grace = grace == null ? java.time.Duration.ofMinutes(10) : grace;
            calls = calls == null ? Map.of() : Map.copyOf(calls);
        }

        void problems(String path, ChainsConfig config, List<String> problems) {
            config.requireChain(path, chain, problems);
            if (!isAddress(address)) problems.add(path + ".address: '" + address
                    + "' is not an address; use the TimelockController's address, 0x followed by 40 hex digits");
            if (proposer == null || (proposer.safe() == null) == (proposer.signer() == null)) {
                problems.add(path + ".proposer: name exactly one of safe: (a Safe from safes:) or signer: (a key from signers:) that "
                        + "holds the timelock's PROPOSER_ROLE and EXECUTOR_ROLE, e.g. proposer: {safe: pilSafe}");
            } else if (proposer.safe() != null) {
                SafeSpec safe = config.safes().get(proposer.safe());
                if (safe == null) problems.add(path + ".proposer.safe: unknown Safe '" + proposer.safe() + "'; use one of "
                        + new java.util.TreeSet<>(config.safes().keySet()) + " or add it under safes:");
                else if (!safe.chain().equals(chain)) problems.add(path + ".proposer.safe: Safe '" + proposer.safe() + "' is on chain '"
                        + safe.chain() + "', the timelock on '" + chain + "'; name a Safe on the timelock's chain");
            } else if (!config.signers().containsKey(proposer.signer())) {
                problems.add(path + ".proposer.signer: unknown signer '" + proposer.signer() + "'; use one of "
                        + new java.util.TreeSet<>(config.signers().keySet()));
            }
            if (minDelay == null || minDelay.isNegative()) problems.add(path + ".minDelay: missing; give the delay the timelock's "
                    + "getMinDelay() returns, e.g. 6h");
            if (grace.isNegative() || grace.isZero()) problems.add(path + ".grace: must be positive; e.g. 10m (a late execution is "
                    + "alerted at ETA + grace + 300 s)");
            new java.util.TreeMap<>(calls).forEach((contractName, functions) -> {
                ContractSpec contract = config.contracts().get(contractName);
                if (contract == null) {
                    problems.add(path + ".calls." + contractName + ": unknown contract '" + contractName + "'; use one of "
                            + new java.util.TreeSet<>(config.contracts().keySet()));
                    return;
                }
                if (!contract.chain().equals(chain)) problems.add(path + ".calls." + contractName + ": the contract is on chain '"
                        + contract.chain() + "', the timelock on '" + chain + "'");
                List<String> actions = contract.actions().stream().map(a -> FunctionSignature.parse(a).canonical()).toList();
                for (String function : functions == null ? List.<String>of() : functions) {
                    String canonical;
                    try {
                        canonical = FunctionSignature.parse(function).canonical();
                    } catch (IllegalArgumentException e) {
                        problems.add(path + ".calls." + contractName + ": " + e.getMessage());
                        continue;
                    }
                    if (!actions.contains(canonical)) problems.add(path + ".calls." + contractName + ": '" + function
                            + "' is not one of the contract's actions " + actions + "; list it under contracts." + contractName
                            + ".actions first");
                }
            });
        }
    }

    /** Who calls {@code schedule} and {@code execute} on a timelock: exactly one of a Safe or a signer. */
    public record Proposer(String safe, String signer) {}

    public record SignerSpec(dev.firebreak.kernel.Secret key) {
        @Override
        public String toString() {
            return "SignerSpec[key=****]";
        }
    }

    public record ActionLimits(TopUp topUp) {
        static final ActionLimits NONE = new ActionLimits(null);

        /** Top-ups go only to the listed accounts, at most {@code capEth} each, sent by {@code signer}. */
        public record TopUp(String signer, List<String> allowList, BigDecimal capEth) {
            public TopUp {
                allowList = allowList == null ? List.of() : List.copyOf(allowList);
            }
        }
    }
}
