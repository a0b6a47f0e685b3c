package dev.firebreak.probe.chain;

import dev.firebreak.kernel.InvalidInput;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an action's chat arguments into a {@link TransactionIntent}, checking each name against
 * {@code bot/chains.yaml}. Only functions listed under a contract's {@code actions:} can be
 * called, always with calldata encoded from that signature, as a plain call (no delegatecall).
 */
final class ChainIntents {

    /** One action's argument handling. */
    @FunctionalInterface
    interface Resolver {
        TransactionIntent resolve(Map<String, String> args);
    }

    private final ChainDirectory directory;

    ChainIntents(ChainDirectory directory) {
        this.directory = directory;
    }

    TransactionIntent pause(Map<String, String> args) {
        String contract = required(args, "contract");
        return contractCall(inputs(args, "contract"), contract, "pause", List.of(), pausedCheck(contract, "true"));
    }

    TransactionIntent unpause(Map<String, String> args) {
        String contract = required(args, "contract");
        return contractCall(inputs(args, "contract"), contract, "unpause", List.of(), pausedCheck(contract, "false"));
    }

    TransactionIntent grantRole(Map<String, String> args) {
        return roleChange(args, "grantRole", "true");
    }

    TransactionIntent revokeRole(Map<String, String> args) {
        return roleChange(args, "revokeRole", "false");
    }

    private TransactionIntent roleChange(Map<String, String> args, String function, String expected) {
        String contract = required(args, "contract");
        String role = required(args, "role");
        String account = addressOrAccount(required(args, "account"), "account");
        var hasRole = directory.function(contract, "hasRole", false).function();
        return contractCall(inputs(args, "contract", "role", "account"), contract, function, List.of(role, account),
                new TransactionIntent.ReadEquals(contract, hasRole, List.of(role, account), expected));
    }

    TransactionIntent deauthorizeSequencer(Map<String, String> args) {
        String contract = required(args, "contract");
        String sequencer = addressOrAccount(required(args, "sequencer"), "sequencer");
        var check = new TransactionIntent.ReadEquals(contract,
                directory.function(contract, "authorizedSequencers", false).function(), List.of(sequencer), "false");
        return contractCall(inputs(args, "contract", "sequencer"), contract, "deauthorizeSequencer", List.of(sequencer), check);
    }

    /** Any function listed under the contract's {@code actions:}; its arguments space-separated. */
    TransactionIntent call(Map<String, String> args) {
        String contract = required(args, "contract");
        String function = required(args, "function");
        return contractCall(inputs(args, "contract", "function", "args"), contract, function,
                ChainProbes.arguments(args.get("args")), new TransactionIntent.None());
    }

    TransactionIntent topUp(Map<String, String> args) {
        ChainsConfig.ActionLimits.TopUp limits = directory.config().limits().topUp();
        if (limits == null) throw new InvalidInput("top-ups are not configured; add limits.topUp (signer, allowList, capEth) to bot/chains.yaml");
        String name = required(args, "account");
        ChainsConfig.AccountSpec account = directory.account(name);
        if (!limits.allowList().contains(name)) throw new InvalidInput("account '" + name + "' is not on the top-up allow-list "
                + limits.allowList() + "; add it to limits.topUp.allowList in bot/chains.yaml if it should receive funds");
        BigDecimal amount = ether(required(args, "amount"));
        if (amount.compareTo(limits.capEth()) > 0) throw new InvalidInput("amount " + amount.toPlainString() + " ETH is over the top-up cap of "
                + limits.capEth().toPlainString() + " ETH; send at most the cap");
        ChainClient client = directory.client(account.chain());
        BigInteger wei = Eth.wei(amount);
        return new TransactionIntent(account.chain(), client.spec().chainId(), account.address(), "account " + name,
                "transfer (no calldata)", List.of(), "0x", wei, limits.signer(),
                Signers.address(directory.config(), limits.signer()),
                new TransactionIntent.BalanceRisesBy(name, account.address(), wei), inputs(args, "account", "amount"));
    }

    private TransactionIntent contractCall(Map<String, String> inputs, String contractName, String function,
                                           List<String> arguments, TransactionIntent.PostCondition check) {
        ChainDirectory.ContractFunction target = directory.actionFunction(contractName, function);
        String calldata = target.function().encode(directory.checkRoles(target, arguments));
        ChainsConfig.ContractSpec contract = target.contract();
        long chainId = directory.config().chains().get(contract.chain()).chainId();
        // through a Safe, the call comes from the Safe; the signer only relays the owners' signed transaction
        String safe = directory.safeOf(contractName, target.function().canonical(), inputs);
        String from = safe == null ? Signers.address(directory.config(), contract.signer()) : directory.safe(safe).address();
        return new TransactionIntent(contract.chain(), chainId, contract.address(), contractName,
                target.function().canonical(), arguments, calldata, BigInteger.ZERO, contract.signer(), from, check, inputs);
    }

    private TransactionIntent.PostCondition pausedCheck(String contract, String expected) {
        for (String text : directory.contract(contract).reads()) {
            FunctionSignature read = FunctionSignature.parse(text);
            if ((read.name().equals("paused") || read.name().equals("isPaused")) && read.inputs().isEmpty()) {
                return new TransactionIntent.ReadEquals(contract, read, List.of(), expected);
            }
        }
        return new TransactionIntent.None();
    }

    private String addressOrAccount(String value, String what) {
        ChainsConfig.AccountSpec account = directory.config().accounts().get(value);
        if (account != null) return account.address();
        return ChainDirectory.address(value, what);
    }

    private static BigDecimal ether(String text) {
        String value = text.trim().toLowerCase().replaceAll("\\s*(ether|eth)$", "");
        if (!value.matches("[0-9]+(\\.[0-9]+)?|\\.[0-9]+")) {
            throw new InvalidInput("amount '" + text + "' is not a positive ETH amount written with the digits 0-9; give e.g. 2 or 0.5"
                    + (AbiValues.hasOtherDigits(value) ? " (it holds digits of another script, which are not accepted)" : ""));
        }
        try {
            BigDecimal amount = new BigDecimal(value);
            if (amount.signum() <= 0) throw new NumberFormatException();
            Eth.wei(amount);
            return amount.stripTrailingZeros();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new InvalidInput("amount '" + text + "' is not a positive ETH amount; give e.g. 2 or 0.5 (at most 18 decimals)");
        }
    }

    private static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null || value.isBlank()) throw new InvalidInput("missing argument '" + name + "'");
        return value.trim();
    }

    /** The named arguments, and the Safe a command routes the action through ({@code via: {safe: ...}}), if it names one. */
    private static Map<String, String> inputs(Map<String, String> args, String... names) {
        Map<String, String> inputs = new LinkedHashMap<>();
        for (String name : names) if (args.get(name) != null) inputs.put(name, args.get(name).trim());
        if (args.get(ChainDirectory.VIA_SAFE) != null) inputs.put(ChainDirectory.VIA_SAFE, args.get(ChainDirectory.VIA_SAFE).trim());
        return inputs;
    }
}
