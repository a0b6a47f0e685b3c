package dev.firebreak.demo.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Plain JSON-RPC to the local anvil, for set-up and fault injection (evm_setAutomine, anvil_mine, ...). */
public final class DevnetRpc {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;

    DevnetRpc(String url) {
        this.uri = URI.create(url);
    }

    /** Calls a method and returns its {@code result}; a JSON-RPC error becomes an IllegalStateException. */
    public JsonNode call(String method, Object... params) {
        try {
            String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method, "params", List.of(params)));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode node = JSON.readTree(response.body());
            if (node.has("error")) throw new IllegalStateException(method + " failed: " + node.get("error").path("message").asText());
            return node.get("result");
        } catch (IOException e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Calls {@code method} once for each list of parameters, all in one JSON-RPC batch (one round
     * trip), and returns the results in the order of the lists; any error becomes an IllegalStateException.
     */
    public List<JsonNode> callEach(String method, List<List<Object>> params) {
        List<Map<String, Object>> batch = new java.util.ArrayList<>();
        for (int i = 0; i < params.size(); i++) batch.add(Map.of("jsonrpc", "2.0", "id", i, "method", method, "params", params.get(i)));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(batch))).build(), HttpResponse.BodyHandlers.ofString());
            Map<Integer, JsonNode> byId = new java.util.HashMap<>();
            for (JsonNode answer : JSON.readTree(response.body())) {
                if (answer.has("error")) throw new IllegalStateException(method + " failed: " + answer.get("error").path("message").asText());
                byId.put(answer.path("id").asInt(), answer.get("result"));
            }
            List<JsonNode> results = new java.util.ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                if (!byId.containsKey(i)) throw new IllegalStateException(method + " failed: the batch has no answer to call " + i);
                results.add(byId.get(i));
            }
            return results;
        } catch (IOException e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Takes a snapshot of the chain (anvil's {@code evm_snapshot}) for {@link #revertTo} to go back to. */
    public String snapshot() {
        return call("evm_snapshot").asText();
    }

    /**
     * Goes back to {@code snapshot} ({@code evm_revert}), with automatic mining switched back on first
     * for whatever switched it off; the snapshot is used up.
     */
    public void revertTo(String snapshot) {
        call("evm_setAutomine", true);
        if (!call("evm_revert", snapshot).asBoolean()) throw new IllegalStateException("anvil has no snapshot " + snapshot + " to revert to");
    }

    public long blockNumber() {
        return Long.decode(call("eth_blockNumber").asText());
    }
}
