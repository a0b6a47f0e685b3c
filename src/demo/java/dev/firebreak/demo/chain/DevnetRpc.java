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
