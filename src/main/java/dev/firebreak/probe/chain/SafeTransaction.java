package dev.firebreak.probe.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;

/**
 * One Safe transaction as its owners sign it (EIP-712 {@code SafeTx}), computed here rather than
 * taken from the Safe or a service, so Firebreak can show signers the domain hash and the message
 * hash their hardware wallet shows, and check both against the Safe's own {@code getTransactionHash}.
 * No gas refund is ever asked for: safeTxGas, baseGas and gasPrice are zero, gasToken and
 * refundReceiver the zero address.
 *
 * @param version   the Safe's version, e.g. 1.4.1: before 1.3.0 the domain has no chain id
 * @param operation 0 for a call; Firebreak never builds a delegatecall (1)
 */
record SafeTransaction(long chainId, String safe, String version, String to, BigInteger value, String data, int operation,
                       BigInteger nonce) {

    static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
    private static final byte[] SAFE_TX_TYPEHASH = Hash.sha3(("SafeTx(address to,uint256 value,bytes data,uint8 operation,"
            + "uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)").getBytes());
    private static final byte[] DOMAIN_TYPEHASH = Hash.sha3("EIP712Domain(uint256 chainId,address verifyingContract)".getBytes());
    private static final byte[] LEGACY_DOMAIN_TYPEHASH = Hash.sha3("EIP712Domain(address verifyingContract)".getBytes());

    /** Whether {@code version} (major.minor.patch) is one whose EIP-712 domain this class knows: 1.0.0 and later. */
    static boolean knownVersion(String version) {
        return version != null && version.matches("1\\.[0-9]+\\.[0-9]+(\\+L2)?");
    }

    /** EIP-712 domain separator: with the chain id from Safe 1.3.0 on. */
    String domainHash() {
        byte[] encoded = withChainId()
                ? concat(DOMAIN_TYPEHASH, word(new Uint256(chainId)), word(new Address(safe)))
                : concat(LEGACY_DOMAIN_TYPEHASH, word(new Address(safe)));
        return Numeric.toHexString(Hash.sha3(encoded));
    }

    /** The struct hash of SafeTx, what a wallet shows as the message hash. */
    String messageHash() {
        byte[] encoded = concat(SAFE_TX_TYPEHASH, word(new Address(to)), word(new Uint256(value)),
                Hash.sha3(Numeric.hexStringToByteArray(data)), word(new Uint8(operation)),
                word(Uint256.DEFAULT), word(Uint256.DEFAULT), word(Uint256.DEFAULT),
                word(new Address(ZERO_ADDRESS)), word(new Address(ZERO_ADDRESS)), word(new Uint256(nonce)));
        return Numeric.toHexString(Hash.sha3(encoded));
    }

    /** keccak256(0x19 0x01 domainHash messageHash): what owners sign and {@code approveHash} takes. */
    String safeTxHash() {
        byte[] encoded = concat(new byte[] {0x19, 0x01}, Numeric.hexStringToByteArray(domainHash()),
                Numeric.hexStringToByteArray(messageHash()));
        return Numeric.toHexString(Hash.sha3(encoded));
    }

    /** Calldata of the Safe's own {@code getTransactionHash} for the same values. */
    String getTransactionHashCall() {
        return FunctionEncoder.encode(new Function("getTransactionHash", List.of(new Address(to), new Uint256(value),
                new DynamicBytes(Numeric.hexStringToByteArray(data)), new Uint8(operation), Uint256.DEFAULT, Uint256.DEFAULT,
                Uint256.DEFAULT, new Address(ZERO_ADDRESS), new Address(ZERO_ADDRESS), new Uint256(nonce)), List.of()));
    }

    /** Calldata of {@code execTransaction} with the owners' signatures, already packed in owner order. */
    String execTransactionCall(byte[] signatures) {
        return FunctionEncoder.encode(new Function("execTransaction", List.of(new Address(to), new Uint256(value),
                new DynamicBytes(Numeric.hexStringToByteArray(data)), new Uint8(operation), Uint256.DEFAULT, Uint256.DEFAULT,
                Uint256.DEFAULT, new Address(ZERO_ADDRESS), new Address(ZERO_ADDRESS), new DynamicBytes(signatures)), List.of()));
    }

    private boolean withChainId() {
        String[] parts = version.replace("+L2", "").split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        return major > 1 || minor >= 3;
    }

    private static byte[] word(Type<?> value) {
        return Numeric.hexStringToByteArray(TypeEncoder.encode(value));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    /** Bytes32 for an ABI-encoded word, e.g. a hash argument. */
    static Bytes32 bytes32(String hex) {
        return new Bytes32(Numeric.hexStringToByteArray(hex));
    }
}
