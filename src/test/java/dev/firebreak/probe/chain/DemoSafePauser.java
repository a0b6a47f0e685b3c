package dev.firebreak.probe.chain;

import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.testing.Eventually;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo chain with the demo Safe holding PAUSER_ROLE on the PIL orchestrator (the demo's own
 * {@link DemoChain#letSafePause}), and the keys of the Safe's three owners (threshold 2), for the
 * tests of actions that go through the Safe.
 */
public final class DemoSafePauser {

    private final DemoChain chain;
    private final List<Credentials> owners;

    private DemoSafePauser(DemoChain chain) {
        this.chain = chain;
        this.owners = List.of("owner1", "owner2", "owner3").stream().map(owner -> Credentials.create(chain.safeOwnerKey(owner))).toList();
    }

    /** Lets the demo Safe pause the PIL orchestrator on {@code chain}; the guardian keeps its own PAUSER_ROLE. */
    public static DemoSafePauser on(DemoChain chain) {
        chain.letSafePause();
        return new DemoSafePauser(chain);
    }

    /**
     * As {@link #on}, and takes the guardian's PAUSER_ROLE away: only the Safe pauses, and the guardian
     * (Firebreak's own key) only relays the Safe's execTransaction.
     */
    public static DemoSafePauser only(DemoChain chain) {
        DemoSafePauser pauser = on(chain);
        String role = Hash.sha3String("PAUSER_ROLE");
        String guardian = chain.address("guardian");
        String hash = chain.rpc().call("eth_sendTransaction", Map.of("from", guardian, "to", chain.address("pilOrchestrator"),
                "data", FunctionEncoder.encode(new Function("revokeRole", List.of(SafeTransaction.bytes32(role), new Address(guardian)),
                        List.of())))).asText();
        Eventually.until(() -> !chain.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
        assertThat(chain.rpc().call("eth_getTransactionReceipt", hash).path("status").asText()).as("revokeRole " + hash).isEqualTo("0x1");
        return pauser;
    }

    /** The Safe's owners owner1 to owner3, in that order (anvil's public development keys 5 to 7). */
    public List<Credentials> owners() {
        return owners;
    }

    public Credentials owner(int index) {
        return owners.get(index);
    }

    /** The demo's {@code bot/chains.yaml} with the PIL orchestrator's actions sent through the Safe pilSafe. */
    public ChainsConfig chainsConfig() {
        return viaSafe(chain.chainsConfig());
    }

    /** {@code chains} with the PIL orchestrator's actions sent through the Safe pilSafe. */
    public static ChainsConfig viaSafe(ChainsConfig chains) {
        return chains.withContract("pilOrchestrator", chains.contracts().get("pilOrchestrator").viaSafe("pilSafe"));
    }
}
