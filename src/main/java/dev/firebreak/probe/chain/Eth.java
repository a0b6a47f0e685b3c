package dev.firebreak.probe.chain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** Units for display and input: wei, gwei, ether. */
final class Eth {
    private Eth() {}

    static String ether(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).setScale(4, RoundingMode.DOWN).stripTrailingZeros().toPlainString() + " ETH";
    }

    static String gwei(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(9).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " gwei";
    }

    static BigInteger wei(BigDecimal ether) {
        return ether.movePointRight(18).toBigIntegerExact();
    }
}
