package dev.firebreak.probe.chain;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The EIP-712 hashes of a Safe transaction against a fixed vector computed by an independent
 * implementation: a token transfer from a Safe on Base (chain 8453) at nonce 11, with the domain,
 * struct and transaction hashes published in morpho-org/safe-tx-hash's test.py.
 */
class SafeTransactionTest {

    private static final SafeTransaction BASE_TRANSFER = new SafeTransaction(8453, "0xcBa28b38103307Ec8dA98377ffF9816C164f9AFa",
            "1.3.0", "0xBAa5CC21fd487B8Fcc2F632f3F4E8D37262a0842", BigInteger.ZERO,
            "0xa9059cbb000000000000000000000000f057afeec22e220f47ad4220871364e9e828b2e9"
                    + "00000000000000000000000000000000000000000001a784379d99db42000000",
            0, BigInteger.valueOf(11));

    @Test
    void hashes_equal_an_independent_implementations() {
        assertThat(BASE_TRANSFER.domainHash()).isEqualTo("0x837b1eb3bcc66a4b6bd9f0d8c876e31648b46ac2e66e4080ee93e97e51074cb9");
        assertThat(BASE_TRANSFER.messageHash()).isEqualTo("0x18100568166f32d42c2c1d01c907dabc9bec58334a125da2a2a43742764183cd");
        assertThat(BASE_TRANSFER.safeTxHash()).isEqualTo("0x1bf99e3cf2d2272960c8a02ca4163459ad240de7995bec237a886b84968a077c");
    }

    @Test
    void a_safe_before_1_3_0_signs_a_domain_without_the_chain_id() {
        SafeTransaction legacy = new SafeTransaction(8453, BASE_TRANSFER.safe(), "1.2.0", BASE_TRANSFER.to(), BigInteger.ZERO,
                BASE_TRANSFER.data(), 0, BigInteger.valueOf(11));
        SafeTransaction otherChain = new SafeTransaction(1, BASE_TRANSFER.safe(), "1.2.0", BASE_TRANSFER.to(), BigInteger.ZERO,
                BASE_TRANSFER.data(), 0, BigInteger.valueOf(11));
        assertThat(legacy.domainHash()).isNotEqualTo(BASE_TRANSFER.domainHash()).isEqualTo(otherChain.domainHash());
        assertThat(legacy.messageHash()).isEqualTo(BASE_TRANSFER.messageHash());
        assertThat(SafeTransaction.knownVersion("1.4.1")).isTrue();
        assertThat(SafeTransaction.knownVersion("0.1.0")).isFalse();
    }
}
