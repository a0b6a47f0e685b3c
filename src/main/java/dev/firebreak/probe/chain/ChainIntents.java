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

    /**
     * One action's argument handling, in two steps as {@link dev.firebreak.probe.Action#prepare} is:
     * {@link #prepare} judges the arguments against {@code bot/chains.yaml} and reaches nothing; the
     * {@link Resolution} it returns builds the transaction, which may read a signer's key, the store
     * or the chain.
     */
    @FunctionalInterface
    interface Resolver {
        /** Throws {@link InvalidInput} for arguments no run could use. */
        Resolution prepare(Map<String, String> args);

        /** Judges the arguments, then builds the transaction. */
        default TransactionIntent resolve(Map<String, String> args) {
            return prepare(args).intent();
        }
    }

    /**
     * The transaction of arguments that were judged.
     *
     * @param targetName what the arguments call (a contract, an account, a timelock), as
     *                   {@link TransactionIntent#targetName()} will say; null when only the store can tell
     * @param function   the function called, as {@link TransactionIntent#function()} will say
     * @param build      builds the transaction; throws {@link InvalidInput} when what it reads (a key,
     *                   the store, the chain) refuses it
     */
    record Resolution(String targetName, String function, java.util.function.Supplier<TransactionIntent> build) {
        TransactionIntent intent() {
            return build.get();
        }
    }

    /** The function a top-up names: a plain transfer. */
    private static final String TRANSFER = "transfer (no calldata)";

    private final ChainDirectory directory;

    ChainIntents(ChainDirectory directory) {
        this.directory = directory;
    }

    Resolution pause(Map<String, String> args) {
        String contract = required(args, "contract");
        return contractCall(inputs(args, "contract"), contract, "pause", List.of(), pausedCheck(contract, "true"));
    }

    Resolution unpause(Map<String, String> args) {
        String contract = required(args, "contract");
        return contractCall(inputs(args, "contract"), contract, "unpause", List.of(), pausedCheck(contract, "false"));
    }

    Resolution grantRole(Map<String, String> args) {
        return roleChange(args, "grantRole", "true");
    }

    Resolution revokeRole(Map<String, String> args) {
        return roleChange(args, "revokeRole", "false");
    }

    private Resolution roleChange(Map<String, String> args, String function, String expected) {
        String contract = required(args, "contract");
        String role = required(args, "role");
        // the role is judged against the contract before the account, which chat may give
        directory.checkRoles(directory.actionFunction(contract, function), List.of(role));
        String account = addressOrAccount(required(args, "account"), "account");
        var hasRole = directory.function(contract, "hasRole", false).function();
        return contractCall(inputs(args, "contract", "role", "account"), contract, function, List.of(role, account),
                new TransactionIntent.ReadEquals(contract, hasRole, List.of(role, account), expected));
    }

    Resolution deauthorizeSequencer(Map<String, String> args) {
        String contract = required(args, "contract");
        String sequencer = addressOrAccount(required(args, "sequencer"), "sequencer");
        var check = new TransactionIntent.ReadEquals(contract,
                directory.function(contract, "authorizedSequencers", false).function(), List.of(sequencer), "false");
        return contractCall(inputs(args, "contract", "sequencer"), contract, "deauthorizeSequencer", List.of(sequencer), check);
    }

    /** Any function listed under the contract's {@code actions:}; its arguments space-separated. */
    Resolution call(Map<String, String> args) {
        String contract = required(args, "contract");
        String function = required(args, "function");
        return contractCall(inputs(args, "contract", "function", "args"), contract, function,
                ChainProbes.arguments(args.get("args")), new TransactionIntent.None());
    }

    Resolution topUp(Map<String, String> args) {
        ChainsConfig.ActionLimits.TopUp limits = directory.config().limits().topUp();
        if (limits == null) throw new InvalidInput("top-ups are not configured; add limits.topUp (signer, allowList, capEth) to bot/chains.yaml");
        // the amount stands on its own: judged before the account, which chat may give
        BigDecimal amount = ether(required(args, "amount"));
        if (amount.compareTo(limits.capEth()) > 0) throw new InvalidInput("amount " + amount.toPlainString() + " ETH is over the top-up cap of "
                + limits.capEth().toPlainString() + " ETH; send at most the cap");
        String name = required(args, "account");
        ChainsConfig.AccountSpec account = directory.account(name);
        if (!limits.allowList().contains(name)) throw new InvalidInput("account '" + name + "' is not on the top-up allow-list "
                + limits.allowList() + "; add it to limits.topUp.allowList in bot/chains.yaml if it should receive funds");
        long chainId = directory.config().chains().get(directory.chainName(account.chain())).chainId();
        BigInteger wei = Eth.wei(amount);
        Map<String, String> inputs = inputs(args, "account", "amount");
        return new Resolution("account " + name, TRANSFER, () -> new TransactionIntent(account.chain(), chainId, account.address(), "account " + name,
                TRANSFER, List.of(), "0x", wei, limits.signer(),
                Signers.address(directory.config(), limits.signer()),
                new TransactionIntent.BalanceRisesBy(name, account.address(), wei), inputs));
    }

    private Resolution contractCall(Map<String, String> inputs, String contractName, String function,
                                    List<String> arguments, TransactionIntent.PostCondition check) {
        ChainDirectory.ContractFunction target = directory.actionFunction(contractName, function);
        String calldata = target.function().encode(directory.checkRoles(target, arguments));
        ChainsConfig.ContractSpec contract = target.contract();
        long chainId = directory.config().chains().get(contract.chain()).chainId();
        // through a Safe, the call comes from the Safe; the signer only relays the owners' signed transaction
        String safe = directory.safeOf(contractName, target.function().canonical(), inputs);
        // judged here, with the arguments, so that check refuses a command's via: a Safe of another chain
        String safeAddress = safe == null ? null : directory.safeOn(safe, contract.chain(), contractName).address();
        return new Resolution(contractName, target.function().canonical(), () -> new TransactionIntent(contract.chain(), chainId,
                contract.address(), contractName, target.function().canonical(), arguments, calldata, BigInteger.ZERO, contract.signer(),
                safeAddress == null ? Signers.address(directory.config(), contract.signer()) : safeAddress, check, inputs));
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
