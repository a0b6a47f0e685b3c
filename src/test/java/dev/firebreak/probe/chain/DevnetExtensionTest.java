package dev.firebreak.probe.chain;

import dev.firebreak.demo.chain.DemoChain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DevnetExtension.SnapshotPerTest}: a test that changes the chain, mines and switches mining
 * off leaves nothing of it to the next, which starts from the chain as the class set it up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevnetExtensionTest {

    private static final String ACCOUNT = "0x000000000000000000000000000000000000f00d";

    private DemoChain devnet;
    private long classBlock;

    @BeforeAll
    void setUp(DemoChain devnet) {
        this.devnet = devnet;
        devnet.rpc().call("anvil_setBalance", ACCOUNT, "0x1");
        classBlock = devnet.rpc().blockNumber();
    }

    @Test
    @Order(1)
    void a_test_changes_the_chain_mines_and_switches_mining_off() {
        devnet.rpc().call("anvil_setBalance", ACCOUNT, "0x2");
        devnet.rpc().call("anvil_mine", "0x3");
        devnet.rpc().call("evm_setAutomine", false);
        assertThat(balance()).isEqualTo("0x2");
        assertThat(devnet.rpc().blockNumber()).isEqualTo(classBlock + 3);
        assertThat(devnet.rpc().call("anvil_getAutomine").asBoolean()).isFalse();
    }

    @Test
    @Order(2)
    void the_next_test_starts_from_the_chain_as_the_class_set_it_up() {
        assertThat(balance()).isEqualTo("0x1");
        assertThat(devnet.rpc().blockNumber()).isEqualTo(classBlock);
        assertThat(devnet.rpc().call("anvil_getAutomine").asBoolean()).as("mining is on again").isTrue();
    }

    @Test
    @Order(3)
    void a_snapshot_is_used_up_by_its_revert() {
        String snapshot = devnet.rpc().snapshot();
        devnet.rpc().revertTo(snapshot);
        assertThatThrownBy(() -> devnet.rpc().revertTo(snapshot)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(snapshot);
    }

    private String balance() {
        return devnet.rpc().call("eth_getBalance", ACCOUNT, "latest").asText();
    }
}
