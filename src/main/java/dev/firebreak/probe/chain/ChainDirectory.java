package dev.firebreak.probe.chain;

import dev.firebreak.kernel.InvalidInput;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks up what chat arguments name (chains, accounts, contracts, functions, events) in the
 * configuration, with one clear {@link InvalidInput} per unknown name, and holds one
 * {@link ChainClient} per chain.
 */
final class ChainDirectory implements AutoCloseable {

    record ContractFunction(String contractName, ChainsConfig.ContractSpec contract, FunctionSignature function) {}

    private final ChainsConfig config;
    private final Map<String, ChainClient> clients = new ConcurrentHashMap<>();

    ChainDirectory(ChainsConfig config) {
        this.config = config;
    }

    ChainsConfig config() {
        return config;
    }

    /** The named chain, or the only one when none is named. */
    String chainName(String name) {
        if (name == null || name.isBlank()) {
            if (config.chains().size() == 1) return config.chains().keySet().iterator().next();
            throw new InvalidInput("name a chain; configured chains: " + sorted(config.chains().keySet()));
        }
        if (!config.chains().containsKey(name)) throw new InvalidInput("unknown chain '" + name + "'; configured chains: "
                + sorted(config.chains().keySet()));
        return name;
    }

    ChainClient client(String chain) {
        String name = chainName(chain);
        return clients.computeIfAbsent(name, n -> new ChainClient(n, config.chains().get(n)));
    }

    ChainsConfig.AccountSpec account(String name) {
        ChainsConfig.AccountSpec account = config.accounts().get(name == null ? "" : name);
        if (account == null) throw new InvalidInput("unknown account '" + name + "'; configured accounts: " + sorted(config.accounts().keySet()));
        return account;
    }

    ChainsConfig.ContractSpec contract(String name) {
        ChainsConfig.ContractSpec contract = config.contracts().get(name == null ? "" : name);
        if (contract == null) throw new InvalidInput("unknown contract '" + name + "'; configured contracts: " + sorted(config.contracts().keySet()));
        return contract;
    }

    ChainsConfig.SafeSpec safe(String name) {
        ChainsConfig.SafeSpec safe = config.safes().get(name == null ? "" : name);
        if (safe == null) throw new InvalidInput("unknown Safe '" + name + "'; configured Safes: " + sorted(config.safes().keySet()));
        return safe;
    }

    /** The Safe, refused (InvalidInput) unless it is on the chain of what it would call: a Safe can only call its own chain. */
    ChainsConfig.SafeSpec safeOn(String name, String chain, String targetName) {
        ChainsConfig.SafeSpec safe = safe(name);
        if (!safe.chain().equals(chain)) throw new InvalidInput("the Safe " + name + " is on chain " + safe.chain() + " and "
                + targetName + " on " + chain + ": a Safe can only call contracts on its own chain. Nothing was proposed.");
        return safe;
    }

    /** The argument by which a command's {@code via: {safe: <name>}} reaches a chain action. */
    static final String VIA_SAFE = dev.firebreak.probe.Action.VIA_SAFE;

    /**
     * The Safe a contract's action {@code function} (canonical, e.g. {@code pause()}) goes through: the
     * one the command names ({@code via:} in {@code commands/}, as the input {@value #VIA_SAFE}), else
     * the contract's own {@code via:} when it covers the function, else none. The one rule of which
     * actions are Safe-held: the actions' routing and the pre-signed pause watcher both ask it.
     */
    String safeOf(String contractName, String function, Map<String, String> inputs) {
        String fromCommand = inputs.get(VIA_SAFE);
        if (fromCommand != null && !fromCommand.isBlank()) return fromCommand;
        ChainsConfig.ContractSpec contract = config.contracts().get(contractName);
        return contract == null || contract.via() == null || !contract.via().covers(function) ? null : contract.via().safe();
    }

    /** A function of a contract by name or full signature, from the reads (and the actions, when allowed). */
    ContractFunction function(String contractName, String function, boolean includeActions) {
        ChainsConfig.ContractSpec contract = contract(contractName);
        List<String> candidates = includeActions
                ? java.util.stream.Stream.concat(contract.reads().stream(), contract.actions().stream()).toList()
                : contract.reads();
        return new ContractFunction(contractName, contract, pick(contractName, contract, candidates, function,
                includeActions ? "function" : "read function"));
    }

    /** An action function of a contract: only signatures listed under {@code actions:} can ever be sent. */
    ContractFunction actionFunction(String contractName, String function) {
        ChainsConfig.ContractSpec contract = contract(contractName);
        return new ContractFunction(contractName, contract, pick(contractName, contract, contract.actions(), function, "action function"));
    }

    private static FunctionSignature pick(String contractName, ChainsConfig.ContractSpec contract, List<String> candidates,
                                          String wanted, String kind) {
        String key = wanted == null ? "" : wanted.trim();
        for (String text : candidates) {
            FunctionSignature signature = FunctionSignature.parse(text);
            if (signature.name().equals(key) || signature.canonical().equals(key) || signature.display().equals(key)) return signature;
        }
        throw new InvalidInput("contract '" + contractName + "' has no " + kind + " '" + key + "'; configured: "
                + (candidates.isEmpty() ? "none" : String.join(", ", candidates)) + " (add it to contracts." + contractName
                + " in bot/chains.yaml to allow it)");
    }

    EventSignature event(String contractName, String event) {
        ChainsConfig.ContractSpec contract = contract(contractName);
        for (String text : contract.events()) {
            EventSignature signature = EventSignature.parse(text);
            if (signature.name().equals(event) || signature.canonical().equals(event)) return signature;
        }
        throw new InvalidInput("contract '" + contractName + "' has no event '" + event + "'; configured: "
                + (contract.events().isEmpty() ? "none" : String.join(", ", contract.events().stream().map(t -> EventSignature.parse(t).name()).toList())));
    }

    /**
     * The arguments of {@code function} with account, contract, Safe and timelock names from
     * bot/chains.yaml in address positions replaced by their addresses ({@code /diag read
     * pilOrchestrator hasRole PAUSER_ROLE pilSafe}); anything else is left for the ABI encoder to check.
     */
    List<String> withAddresses(FunctionSignature function, List<String> args) {
        List<String> resolved = new java.util.ArrayList<>(args);
        for (int i = 0; i < Math.min(args.size(), function.inputs().size()); i++) {
            if (!function.inputs().get(i).equals("address")) continue;
            String name = args.get(i);
            ChainsConfig.AccountSpec account = config.accounts().get(name);
            ChainsConfig.ContractSpec contract = config.contracts().get(name);
            ChainsConfig.SafeSpec safe = config.safes().get(name);
            ChainsConfig.TimelockSpec timelock = config.timelocks().get(name);
            if (account != null) resolved.set(i, account.address());
            else if (contract != null) resolved.set(i, contract.address());
            else if (safe != null) resolved.set(i, safe.address());
            else if (timelock != null) resolved.set(i, timelock.address());
        }
        return resolved;
    }

    /**
     * The arguments with every name in a bytes32 position checked against the roles configured
     * for the contract ({@code contracts.<name>.roles}); an unknown role name is refused, so a
     * mistyped role is never hashed into a transaction. A 0x bytes32 is left to the encoder.
     */
    List<String> checkRoles(ContractFunction target, List<String> args) {
        for (int i = 0; i < Math.min(args.size(), target.function().inputs().size()); i++) {
            String value = args.get(i).trim();
            if (!target.function().inputs().get(i).equals("bytes32") || value.startsWith("0x")) continue;
            if (!target.contract().roles().contains(value)) {
                List<String> roles = target.contract().roles();
                throw new InvalidInput("unknown role '" + value + "' for contract '" + target.contractName() + "'; configured roles: "
                        + (roles.isEmpty() ? "none" : sorted(roles)) + " (add it to contracts." + target.contractName()
                        + ".roles in bot/chains.yaml if the contract defines it), or give the bytes32 as 0x and 64 hex digits");
            }
        }
        return args;
    }

    static String address(String value, String what) {
        String text = value == null ? "" : value.trim();
        if (!ChainsConfig.isAddress(text)) throw new InvalidInput(what + " '" + text + "' is not an address; give 0x followed by 40 hex digits");
        return text;
    }

    private static String sorted(java.util.Collection<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }

    @Override
    public void close() {
        clients.values().forEach(ChainClient::close);
    }
}
