package dev.firebreak.probe.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firebreak.kernel.Redactor;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Safe Transaction Service, the off-chain queue the owners' wallets read: proposing a Safe
 * transaction (with the proposer's signature over the safeTxHash), reading the owners'
 * confirmations of it, and the Safe app's link to it. It is optional: what it says is checked
 * (each confirmation must recover to a current owner), and when it cannot be used the owners
 * still approve on chain.
 */
final class SafeTransactionService {

    /** The service refused a request (HTTP 4xx, e.g. 422 for a wrong hash, signature, nonce or sender), with its reason. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ChainsConfig.TxService spec;
    private final String safe;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    SafeTransactionService(ChainsConfig.TxService spec, String safe) {
        this.spec = spec;
        this.safe = safe;
        if (spec.apiKey() != null && spec.apiKey().isPresent()) Redactor.remember(spec.apiKey().reveal());
    }

    /** Proposes the transaction, signed by the proposer's key; throws {@link Refused} with the service's reason. */
    void propose(SafeTransaction transaction, Credentials proposer) {
        String safeTxHash = transaction.safeTxHash();
        ObjectNode body = JSON.createObjectNode();
        body.put("to", transaction.to());
        body.put("value", transaction.value().toString());
        body.put("data", transaction.data());
        body.put("operation", transaction.operation());
        body.put("safeTxGas", "0");
        body.put("baseGas", "0");
        body.put("gasPrice", "0");
        body.put("gasToken", SafeTransaction.ZERO_ADDRESS);
        body.put("refundReceiver", SafeTransaction.ZERO_ADDRESS);
        body.put("nonce", transaction.nonce().toString());
        body.put("contractTransactionHash", safeTxHash);
        body.put("sender", proposer.getAddress());
        body.put("signature", sign(safeTxHash, proposer));
        body.put("origin", "Firebreak");
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v2/safes/" + safe + "/multisig-transactions/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() != 201 && response.statusCode() != 200) throw refusal("the proposal", response);
    }

    /** The owners' signatures the service holds for the hash, by owner (lower-case); empty when it has none. */
    Map<String, String> confirmations(String safeTxHash) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v2/multisig-transactions/" + safeTxHash + "/")).GET());
        Map<String, String> signatures = new LinkedHashMap<>();
        if (response.statusCode() == 404) return signatures;
        if (response.statusCode() != 200) throw refusal("reading the confirmations", response);
        try {
            for (JsonNode confirmation : JSON.readTree(response.body()).path("confirmations")) {
                String owner = confirmation.path("owner").asText("").toLowerCase();
                String signature = confirmation.path("signature").asText("");
                if (!owner.isEmpty() && !signature.isEmpty()) signatures.put(owner, signature);
            }
        } catch (IOException e) {
            throw new ChainUnreachable("the Safe Transaction Service answered with something other than JSON");
        }
        return signatures;
    }

    /** The Safe app's page of the transaction. */
    String link(String safeTxHash) {
        String chain = spec.chainShortName() == null || spec.chainShortName().isBlank() ? "" : spec.chainShortName() + ":";
        return "https://app.safe.global/transactions/tx?safe=" + chain + safe + "&id=multisig_" + safe + "_" + safeTxHash;
    }

    /** The signer that an owner's signature of the hash recovers to (an ECDSA signature, v 27/28, or eth_sign, v 31/32), or null. */
    static String signer(String safeTxHash, String signature) {
        byte[] bytes = Numeric.hexStringToByteArray(signature);
        if (bytes.length != 65) return null;
        int v = bytes[64] & 0xff;
        byte[] hash = Numeric.hexStringToByteArray(safeTxHash);
        if (v > 30) {
            hash = org.web3j.crypto.Hash.sha3(SafeTransaction.concat("\u0019Ethereum Signed Message:\n32".getBytes(), hash));
            v -= 4;
        }
        if (v != 27 && v != 28) return null;
        try {
            var key = Sign.signedMessageHashToKey(hash, new Sign.SignatureData((byte) v, java.util.Arrays.copyOfRange(bytes, 0, 32),
                    java.util.Arrays.copyOfRange(bytes, 32, 64)));
            return "0x" + org.web3j.crypto.Keys.getAddress(key);
        } catch (java.security.SignatureException | RuntimeException e) {
            return null;
        }
    }

    /** An ECDSA signature of the hash itself (v 27/28), as owners' wallets give and the service takes. */
    static String sign(String safeTxHash, Credentials key) {
        Sign.SignatureData signature = Sign.signMessage(Numeric.hexStringToByteArray(safeTxHash), key.getEcKeyPair(), false);
        return Numeric.toHexString(SafeTransaction.concat(signature.getR(), signature.getS(), signature.getV()));
    }

    private URI uri(String path) {
        String base = spec.url().endsWith("/") ? spec.url().substring(0, spec.url().length() - 1) : spec.url();
        return URI.create(base + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        request.timeout(TIMEOUT);
        if (spec.apiKey() != null && spec.apiKey().isPresent()) request.header("Authorization", "Bearer " + spec.apiKey().reveal());
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ChainUnreachable("the Safe Transaction Service at " + ChainClient.host(spec.url()) + " did not answer ("
                    + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainUnreachable("interrupted while calling the Safe Transaction Service");
        }
    }

    private static RuntimeException refusal(String what, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > 300) body = body.substring(0, 300) + "...";
        if (response.statusCode() >= 400 && response.statusCode() < 500) {
            return new Refused("the Safe Transaction Service refused " + what + " (HTTP " + response.statusCode() + "): " + body);
        }
        return new ChainUnreachable("the Safe Transaction Service failed " + what + " (HTTP " + response.statusCode() + ")");
    }
}
