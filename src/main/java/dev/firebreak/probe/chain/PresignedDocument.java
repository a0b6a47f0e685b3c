package dev.firebreak.probe.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.kernel.InvalidInput;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A pre-signed Safe transaction as people paste it: the fields of the Safe Transaction Service's
 * multisig transaction (and of the Safe wallet's export), with the owners' signatures packed as
 * {@code execTransaction} takes them.
 *
 * <pre>{"safe": "0x...", "to": "0x...", "value": "0", "data": "0x8456cb59", "operation": 0,
 *  "safeTxGas": "0", "baseGas": "0", "gasPrice": "0",
 *  "gasToken": "0x0000000000000000000000000000000000000000",
 *  "refundReceiver": "0x0000000000000000000000000000000000000000",
 *  "nonce": 4, "safeTxHash": "0x...", "signatures": "0x<65 bytes per owner>"}</pre>
 *
 * Only what Firebreak relays is accepted: a call (operation 0), no gas refund (safeTxGas, baseGas
 * and gasPrice 0, gasToken and refundReceiver the zero address). {@code safeTxHash} may be left out;
 * given, it must be the hash of the other fields.
 */
record PresignedDocument(String safe, String to, BigInteger value, String data, int operation, BigInteger nonce,
                         String safeTxHash, String signatures) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> FIELDS = Set.of("safe", "to", "value", "data", "operation", "safeTxGas", "baseGas", "gasPrice",
            "gasToken", "refundReceiver", "nonce", "safeTxHash", "signatures");
    private static final String SHAPE = "give {\"safe\", \"to\", \"value\", \"data\", \"operation\": 0, \"safeTxGas\": \"0\", "
            + "\"baseGas\": \"0\", \"gasPrice\": \"0\", \"gasToken\" and \"refundReceiver\" the zero address, \"nonce\", "
            + "\"signatures\": \"0x...\"} and optionally \"safeTxHash\"";

    /** Reads the document; everything wrong with it in one message, as an {@link InvalidInput}. */
    static PresignedDocument parse(String text) {
        // chat clients turn straight quotes into curly ones
        String json = text == null ? "" : text.strip().replace('\u201c', '"').replace('\u201d', '"');
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidInput("the pre-signed transaction is not JSON (" + e.getOriginalMessage() + "); " + SHAPE + ".");
        }
        if (root == null || !root.isObject()) throw new InvalidInput("the pre-signed transaction must be a JSON object; " + SHAPE + ".");
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) problems.add("unknown field \"" + name + "\"");
        }
        String safe = address(root, "safe", problems);
        String to = address(root, "to", problems);
        BigInteger value = number(root, "value", problems);
        String data = hex(root, "data", problems);
        BigInteger operation = number(root, "operation", problems);
        BigInteger nonce = number(root, "nonce", problems);
        for (String gas : List.of("safeTxGas", "baseGas", "gasPrice")) {
            if (!root.has(gas)) continue;
            BigInteger amount = number(root, gas, problems);
            if (amount != null && amount.signum() != 0) problems.add(gas + " is " + amount
                    + ": Firebreak relays without a gas refund from the Safe, so it must be 0 (have the owners sign it again with 0)");
        }
        for (String token : List.of("gasToken", "refundReceiver")) {
            if (!root.has(token)) continue;
            String address = address(root, token, problems);
            if (address != null && !address.equalsIgnoreCase(SafeTransaction.ZERO_ADDRESS)) problems.add(token + " is " + address
                    + ": Firebreak relays without a gas refund, so it must be the zero address");
        }
        if (operation != null && operation.signum() != 0) problems.add("operation is " + operation
                + (operation.equals(BigInteger.ONE) ? " (delegatecall)" : "")
                + ": only a call (operation 0) is relayed, never a delegatecall, which would run other code as the Safe");
        String safeTxHash = root.has("safeTxHash") ? hex(root, "safeTxHash", problems) : null;
        if (safeTxHash != null && safeTxHash.length() != 66) problems.add("safeTxHash is not 32 bytes (0x and 64 hex digits)");
        String signatures = hex(root, "signatures", problems);
        if (signatures != null && ((signatures.length() - 2) % 130 != 0 || signatures.length() == 2)) {
            problems.add("signatures is " + (signatures.length() - 2) / 2 + " bytes: it must be 65 bytes per owner (r, s, v), "
                    + "packed in ascending owner order");
        }
        if (!problems.isEmpty()) throw new InvalidInput("the pre-signed transaction is refused: " + String.join("; ", problems) + ".");
        return new PresignedDocument(safe, to, value, data, operation.intValueExact(), nonce, safeTxHash, signatures);
    }

    /** The Safe transaction the owners signed. */
    SafeTransaction transaction(long chainId, String version) {
        return new SafeTransaction(chainId, safe, version, to, value, data, operation, nonce);
    }

    /** The 65-byte signatures, in the order given. */
    List<String> signatureList() {
        List<String> list = new ArrayList<>();
        for (int at = 2; at + 130 <= signatures.length(); at += 130) list.add("0x" + signatures.substring(at, at + 130));
        return list;
    }

    private static String address(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            problems.add("\"" + field + "\" is missing; give it as 0x and 40 hex digits");
            return null;
        }
        if (!ChainsConfig.isAddress(node.asText().strip())) {
            problems.add("\"" + field + "\" is not an address (0x and 40 hex digits)");
            return null;
        }
        return node.asText().strip();
    }

    private static String hex(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual()) {
            problems.add("\"" + field + "\" is missing; give it as 0x and hex digits");
            return null;
        }
        String text = node.asText().strip().toLowerCase(java.util.Locale.ROOT);
        if (!text.matches("0x([0-9a-f]{2})*")) {
            problems.add("\"" + field + "\" is not hex bytes (0x and an even number of hex digits)");
            return null;
        }
        return text;
    }

    /** A whole number, as a JSON number or a string of the digits 0-9 (as the Safe Transaction Service writes them). */
    private static BigInteger number(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.get(field);
        String text = node == null ? null : node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.isTextual() ? node.asText().strip() : null;
        if (text == null || !text.matches("[0-9]{1,78}")) {
            problems.add("\"" + field + "\" is " + (node == null ? "missing" : "not a whole number written with the digits 0-9"));
            return null;
        }
        return new BigInteger(text);
    }
}
