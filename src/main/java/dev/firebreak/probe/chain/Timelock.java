package dev.firebreak.probe.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;

/**
 * One OpenZeppelin {@code TimelockController} on chain: its operations as it hashes them
 * ({@code hashOperation}, computed here and compared with the contract's own), the calls that
 * schedule and execute one, and what it says about an operation ({@code getTimestamp}: 0 unknown
 * or cancelled, 1 done, else the ETA) and about its minimum delay.
 */
final class Timelock {

    static final FunctionSignature SCHEDULE = FunctionSignature.parse("schedule(address,uint256,bytes,bytes32,bytes32,uint256)");
    static final FunctionSignature EXECUTE = FunctionSignature.parse("execute(address,uint256,bytes,bytes32,bytes32)");
    private static final FunctionSignature HASH_OPERATION = FunctionSignature.parse("hashOperation(address,uint256,bytes,bytes32,bytes32)(bytes32)");
    private static final FunctionSignature GET_TIMESTAMP = FunctionSignature.parse("getTimestamp(bytes32)(uint256)");
    private static final FunctionSignature GET_MIN_DELAY = FunctionSignature.parse("getMinDelay()(uint256)");
    static final String ZERO = "0x" + "0".repeat(64);

    /** One operation: a single call (no batch), with its predecessor (zero: none) and salt. */
    record Operation(String target, BigInteger value, String data, String predecessor, String salt) {

        /** keccak256(abi.encode(target, value, data, predecessor, salt)), as {@code hashOperation} computes it. */
        String id() {
            List<Type> values = List.of(new Address(target), new Uint256(value), new DynamicBytes(Numeric.hexStringToByteArray(data)),
                    SafeTransaction.bytes32(predecessor), SafeTransaction.bytes32(salt));
            return Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(values))));
        }

        List<String> arguments() {
            return List.of(target, value.toString(), data, predecessor, salt);
        }

        String scheduleCall(long delaySeconds) {
            return SCHEDULE.encode(List.of(target, value.toString(), data, predecessor, salt, String.valueOf(delaySeconds)));
        }

        String executeCall() {
            return EXECUTE.encode(arguments());
        }
    }

    /** What {@code getTimestamp(id)} says. */
    record State(BigInteger timestamp) {
        boolean unknown() {
            return timestamp.signum() == 0;
        }

        boolean done() {
            return timestamp.equals(BigInteger.ONE);
        }

        /** Scheduled and not yet executed: the ETA. */
        boolean pending() {
            return timestamp.compareTo(BigInteger.ONE) > 0;
        }

        Instant eta() {
            return Instant.ofEpochSecond(timestamp.longValueExact());
        }
    }

    /** The address answered, but not as a TimelockController does. */
    static final class NotATimelock extends ChainUnreachable {
        NotATimelock(String message) {
            super(message);
        }
    }

    private final ChainDirectory directory;
    private final String chain;
    private final String address;

    Timelock(ChainDirectory directory, ChainsConfig.TimelockSpec spec) {
        this.directory = directory;
        this.chain = spec.chain();
        this.address = spec.address();
    }

    /** The salt of the n-th operation Firebreak schedules for the same call: keccak256("firebreak:timelock:" + n). */
    static String salt(int n) {
        return Hash.sha3String("firebreak:timelock:" + n);
    }

    /** The contract's own {@code hashOperation}. */
    String hashOperation(Operation operation) {
        return read(HASH_OPERATION, operation.arguments());
    }

    State state(String operationId) {
        return new State(new BigInteger(read(GET_TIMESTAMP, List.of(operationId))));
    }

    long minDelaySeconds() {
        return new BigInteger(read(GET_MIN_DELAY, List.of())).longValueExact();
    }

    /** The time of the chain's latest block: what the contract judges readiness by. */
    Instant chainTime() {
        return Instant.ofEpochSecond(directory.client(chain)
                .send(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock().getTimestamp().longValueExact());
    }

    Instant blockTime(long block) {
        return Instant.ofEpochSecond(directory.client(chain)
                .send(w -> w.ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(block)), false))
                .getBlock().getTimestamp().longValueExact());
    }

    private String read(FunctionSignature function, List<String> args) {
        String data = function.encode(args);
        var response = directory.client(chain).send(w -> w.ethCall(Transaction.createEthCallTransaction(null, address, data),
                DefaultBlockParameterName.LATEST));
        String revert = Reverts.reason(response);
        if (revert != null || response.getValue() == null || response.getValue().length() < 66) {
            throw new NotATimelock("chain '" + chain + "': the timelock at " + address + " did not answer "
                    + function.name() + " as a TimelockController (" + (revert == null ? "no value" : revert)
                    + "); check timelocks: in bot/chains.yaml");
        }
        List<String> values = function.decodeOutputs(response.getValue());
        return values.getFirst();
    }
}
