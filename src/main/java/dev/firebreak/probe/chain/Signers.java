package dev.firebreak.probe.chain;

import dev.firebreak.kernel.InvalidInput;
import org.web3j.crypto.Credentials;

/** Signer keys from the configuration; the key is revealed only here, to sign. */
final class Signers {
    private Signers() {}

    static Credentials credentials(ChainsConfig config, String signer) {
        ChainsConfig.SignerSpec spec = config.signers().get(signer);
        if (spec == null || spec.key() == null || !spec.key().isPresent()) {
            throw new InvalidInput("signer '" + signer + "' has no key; set signers." + signer + ".key from ${ENV} or file:/path");
        }
        try {
            return Credentials.create(spec.key().reveal().trim());
        } catch (RuntimeException e) {
            throw new InvalidInput("signer '" + signer + "' key (" + spec.key().source() + ") is not a valid private key; give 32 bytes in hex");
        }
    }

    /** The signer's address, or null when it has no usable key (for read-only estimates). */
    static String addressIfKnown(ChainsConfig config, String signer) {
        try {
            return address(config, signer);
        } catch (InvalidInput e) {
            return null;
        }
    }

    static String address(ChainsConfig config, String signer) {
        return credentials(config, signer).getAddress();
    }
}
