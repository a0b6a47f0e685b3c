package dev.firebreak.demo.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;

/**
 * The demo's timelock: OpenZeppelin's {@code TimelockController} as the npm release
 * {@code @openzeppelin/contracts} ships it compiled, with the demo Safe as its only proposer and
 * executor and no admin (it administers itself), deployed by a key of its own so no other
 * deployment's nonces move; its first deployment's address follows from that key, so a kept chain
 * finds it again. The demo waits {@link #MIN_DELAY} rather than seed 003's six hours.
 */
final class DemoTimelock {

    /** How long the demo's timelock makes a scheduled operation wait. */
    static final Duration MIN_DELAY = Duration.ofMinutes(2);
    /** anvil's well-known development key 9: public knowledge, never use it elsewhere. */
    static final String DEPLOYER_KEY = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoTimelock() {}

    /** Deploys a TimelockController with {@code proposer} as its proposer and executor; returns its address. */
    static String deploy(DemoChain chain, ChainTools tools, Duration minDelay, String proposer) throws IOException {
        String bytecode = JSON.readTree(tools.openZeppelinArtifact("TimelockController.json").toFile()).path("bytecode").asText();
        List<Address> proposers = List.of(new Address(proposer));
        String constructor = FunctionEncoder.encodeConstructor(List.of(new Uint256(minDelay.toSeconds()),
                new DynamicArray<>(Address.class, proposers), new DynamicArray<>(Address.class, proposers),
                new Address("0x0000000000000000000000000000000000000000")));
        return chain.transact(Credentials.create(DEPLOYER_KEY), "", bytecode + constructor, 4_000_000).getContractAddress();
    }

    /** Where the demo's own timelock is: the deployer's first deployment. */
    static String address() {
        return ContractUtils.generateContractAddress(Credentials.create(DEPLOYER_KEY).getAddress(), BigInteger.ZERO);
    }
}
