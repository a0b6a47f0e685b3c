package dev.firebreak.probe.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;

/**
 * What a Safe says about itself on chain: its nonce, owners and threshold, its own
 * {@code getTransactionHash}, and which owners approved a hash with {@code approveHash}.
 */
final class SafeAccount {

    /** The Safe's nonce, owners (lower-case, sorted) and threshold at one moment. */
    record State(BigInteger nonce, List<String> owners, int threshold) {
        /** The owners and threshold as they are bound into a plan: "2 of 0xa..,0xb..,0xc..". */
        String signers() {
            return threshold + " of " + String.join(",", owners);
        }
    }

    private final ChainDirectory directory;
    private final String chain;
    private final String address;

    SafeAccount(ChainDirectory directory, ChainsConfig.SafeSpec spec) {
        this.directory = directory;
        this.chain = spec.chain();
        this.address = spec.address();
    }

    State state() {
        BigInteger nonce = uint(call("nonce", List.of()));
        int threshold = uint(call("getThreshold", List.of())).intValueExact();
        String owners = call("getOwners", List.of());
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<Type> decoded = FunctionReturnDecoder.decode(owners, (List) List.of(new TypeReference<DynamicArray<Address>>() {}));
        @SuppressWarnings("unchecked")
        List<Address> list = decoded.isEmpty() ? List.of() : ((DynamicArray<Address>) decoded.getFirst()).getValue();
        List<String> sorted = list.stream().map(a -> a.getValue().toLowerCase()).sorted(Comparator.comparing(SafeAccount::asNumber)).toList();
        return new State(nonce, sorted, threshold);
    }

    /** The Safe's own safeTxHash of the transaction. */
    String transactionHash(SafeTransaction transaction) {
        return call(transaction.getTransactionHashCall());
    }

    /** Whether {@code owner} approved {@code safeTxHash} on chain ({@code approvedHashes(owner, hash) != 0}). */
    boolean approved(String owner, String safeTxHash) {
        return uint(call("approvedHashes", List.of(new Address(owner), new Bytes32(Numeric.hexStringToByteArray(safeTxHash)))))
                .signum() != 0;
    }

    /** Owners compare as numbers: execTransaction wants the signatures in ascending owner order. */
    static BigInteger asNumber(String address) {
        return Numeric.toBigInt(address);
    }

    private String call(String function, List<Type> args) {
        return call(FunctionEncoder.encode(new Function(function, args, List.of())));
    }

    private String call(String data) {
        var response = directory.client(chain).send(w -> w.ethCall(Transaction.createEthCallTransaction(null, address, data),
                DefaultBlockParameterName.LATEST));
        String revert = Reverts.reason(response);
        if (revert != null) throw new ChainUnreachable("chain '" + chain + "': the Safe at " + address + " did not answer as a Safe ("
                + revert + "); check safes: in bot/chains.yaml");
        String value = response.getValue();
        if (value == null || value.length() < 66) throw new ChainUnreachable("chain '" + chain + "': no Safe at " + address
                + " (the call returned nothing); check safes: in bot/chains.yaml");
        return value;
    }

    private static BigInteger uint(String word) {
        return Numeric.toBigInt(word.substring(0, 66));
    }
}
