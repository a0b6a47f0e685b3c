package dev.firebreak.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A Safe Transaction Service stand-in at the network edge, for one Safe on a real node: it checks
 * what the hosted service checks before it accepts a proposal (the API key, the sender is an owner
 * or a registered delegate, the contractTransactionHash is the Safe's own getTransactionHash of the
 * fields, the signature recovers to the sender, the nonce is not below the Safe's) and answers 422
 * with the reason as it does; it takes owners' confirmations (signatures that recover to an owner)
 * and lists them. {@link #forgeConfirmation} makes it misbehave, for clients that must not trust it.
 */
public final class SafeTxServiceStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI rpc;
    private final String safe;
    private final String apiKey;
    private final Set<String> delegates = ConcurrentHashMap.newKeySet();
    private final Map<String, ObjectNode> transactions = new ConcurrentHashMap<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();

    private SafeTxServiceStandIn(String rpcUrl, String safe, String apiKey) throws IOException {
        this.rpc = URI.create(rpcUrl);
        this.safe = safe.toLowerCase();
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public static SafeTxServiceStandIn forSafe(String rpcUrl, String safe, String apiKey) {
        try {
            return new SafeTxServiceStandIn(rpcUrl, safe, apiKey);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Safe Transaction Service stand-in", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Registers a delegate: an address that may propose for the Safe without being an owner. */
    public void addDelegate(String address) {
        delegates.add(address.toLowerCase());
    }

    /** The proposals accepted so far, by safeTxHash. */
    public Map<String, ObjectNode> transactions() {
        return Map.copyOf(transactions);
    }

    /** The 4xx answers given so far, their reasons. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** A confirmation the real service would never accept: listed as given, unchecked. */
    public void forgeConfirmation(String safeTxHash, String owner, String signature) {
        confirmations(transactions.get(safeTxHash)).add(confirmation(owner, signature));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (apiKey != null && !("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"detail\":\"Authentication credentials were not provided.\"}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String proposals = "/api/v2/safes/";
            if (exchange.getRequestMethod().equals("POST") && path.startsWith(proposals) && path.endsWith("/multisig-transactions/")) {
                String address = path.substring(proposals.length(), path.length() - "/multisig-transactions/".length());
                propose(exchange, address, JSON.readTree(body));
            } else if (exchange.getRequestMethod().equals("GET") && path.matches("/api/v2/multisig-transactions/0x[0-9a-fA-F]{64}/")) {
                ObjectNode tx = transactions.get(path.split("/")[4].toLowerCase());
                if (tx == null) answer(exchange, 404, "{\"detail\":\"No MultisigTransaction matches the given query.\"}");
                else answer(exchange, 200, tx.toString());
            } else if (exchange.getRequestMethod().equals("POST") && path.matches("/api/v1/multisig-transactions/0x[0-9a-fA-F]{64}/confirmations/")) {
                confirm(exchange, path.split("/")[4].toLowerCase(), JSON.readTree(body).path("signature").asText());
            } else {
                answer(exchange, 404, "{\"detail\":\"Not found.\"}");
            }
        } catch (RuntimeException e) {
            answer(exchange, 500, "{\"detail\":\"" + e.getMessage() + "\"}");
        }
    }

    private void propose(HttpExchange exchange, String address, JsonNode tx) throws IOException {
        String hash = tx.path("contractTransactionHash").asText().toLowerCase();
        String sender = tx.path("sender").asText().toLowerCase();
        if (!address.equalsIgnoreCase(safe)) {
            refuse(exchange, "Safe=" + address + " is not known to this service");
            return;
        }
        String own = ownHash(tx);
        if (!own.equalsIgnoreCase(hash)) {
            refuse(exchange, "Contract-transaction-hash=" + own + " does not match provided contract-tx-hash=" + hash);
            return;
        }
        BigInteger nonce = new BigInteger(tx.path("nonce").asText());
        BigInteger current = word(call("0xaffed0e0"));
        if (nonce.compareTo(current) < 0) {
            refuse(exchange, "Nonce=" + nonce + " too low for safe=" + address);
            return;
        }
        List<String> owners = owners();
        if (!owners.contains(sender) && !delegates.contains(sender)) {
            refuse(exchange, "User=" + sender + " is not an owner or delegate. Current valid owners=" + owners);
            return;
        }
        if (!sender.equals(recover(hash, tx.path("signature").asText()))) {
            refuse(exchange, "Signature does not match sender=" + sender + ". Check ordering");
            return;
        }
        ObjectNode stored = JSON.createObjectNode();
        stored.put("safe", address);
        stored.put("safeTxHash", hash);
        stored.put("nonce", nonce.toString());
        stored.put("proposer", sender);
        stored.putArray("confirmations");
        if (owners.contains(sender)) confirmations(stored).add(confirmation(sender, tx.path("signature").asText()));
        transactions.putIfAbsent(hash, stored);
        answer(exchange, 201, "");
    }

    private void confirm(HttpExchange exchange, String hash, String signature) throws IOException {
        ObjectNode tx = transactions.get(hash);
        if (tx == null) {
            answer(exchange, 404, "{\"detail\":\"No MultisigTransaction matches the given query.\"}");
            return;
        }
        String owner = recover(hash, signature);
        if (owner == null || !owners().contains(owner)) {
            refuse(exchange, "Signer=" + owner + " is not an owner. Current owners=" + owners());
            return;
        }
        confirmations(tx).add(confirmation(owner, signature));
        answer(exchange, 201, "");
    }

    private static ArrayNode confirmations(ObjectNode tx) {
        return (ArrayNode) tx.get("confirmations");
    }

    private static ObjectNode confirmation(String owner, String signature) {
        ObjectNode confirmation = JSON.createObjectNode();
        confirmation.put("owner", Keys.toChecksumAddress(owner));
        confirmation.put("signature", signature);
        confirmation.put("signatureType", "EOA");
        return confirmation;
    }

    /** The Safe's own hash of the proposed fields, asked of the Safe on the node. */
    private String ownHash(JsonNode tx) {
        String data = FunctionEncoder.encode(new Function("getTransactionHash", List.of(
                new Address(tx.path("to").asText()), new Uint256(new BigInteger(tx.path("value").asText())),
                new DynamicBytes(Numeric.hexStringToByteArray(tx.path("data").asText("0x"))), new Uint8(tx.path("operation").asInt()),
                new Uint256(new BigInteger(tx.path("safeTxGas").asText())), new Uint256(new BigInteger(tx.path("baseGas").asText())),
                new Uint256(new BigInteger(tx.path("gasPrice").asText())), new Address(tx.path("gasToken").asText()),
                new Address(tx.path("refundReceiver").asText()), new Uint256(new BigInteger(tx.path("nonce").asText()))), List.of()));
        return call(data);
    }

    private List<String> owners() {
        String result = call("0xa0e67e2b");
        byte[] bytes = Numeric.hexStringToByteArray(result);
        int count = new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64)).intValueExact();
        List<String> owners = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            owners.add("0x" + Numeric.toHexStringNoPrefix(Arrays.copyOfRange(bytes, 64 + 32 * i + 12, 64 + 32 * (i + 1))));
        }
        return owners;
    }

    /** The address an ECDSA signature (v 27/28) of the hash recovers to, or null. */
    private static String recover(String hash, String signature) {
        byte[] bytes = Numeric.hexStringToByteArray(signature);
        if (bytes.length != 65) return null;
        try {
            var key = Sign.signedMessageHashToKey(Numeric.hexStringToByteArray(hash), new Sign.SignatureData(bytes[64],
                    Arrays.copyOfRange(bytes, 0, 32), Arrays.copyOfRange(bytes, 32, 64)));
            return "0x" + Keys.getAddress(key);
        } catch (Exception e) {
            return null;
        }
    }

    private String call(String data) {
        String request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[{\"to\":\"" + safe + "\",\"data\":\"" + data
                + "\"},\"latest\"]}";
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(rpc).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("result").asText();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the node did not answer: " + e.getMessage(), e);
        }
    }

    private static BigInteger word(String hex) {
        return Numeric.toBigInt(hex.substring(0, 66));
    }

    private void refuse(HttpExchange exchange, String reason) throws IOException {
        refusals.add(reason);
        answer(exchange, 422, JSON.createObjectNode().set("nonFieldErrors", JSON.createArrayNode().add(reason)).toString());
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
