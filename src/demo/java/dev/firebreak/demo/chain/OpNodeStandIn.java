package dev.firebreak.demo.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for an op-node's RPC: answers {@code optimism_syncStatus} from the anvil it
 * fronts, with the unsafe head at anvil's head and the safe and finalized heads behind it by
 * adjustable lags (anvil has no rollup derivation of its own).
 */
public final class OpNodeStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DevnetRpc l2;
    private final AtomicLong safeLag = new AtomicLong(2);
    private final AtomicLong finalizedLag = new AtomicLong(4);
    private final Javalin server;

    OpNodeStandIn(DevnetRpc l2) {
        this.l2 = l2;
        this.server = Javalin.create(config -> config.showJavalinBanner = false)
                .post("/", ctx -> ctx.contentType("application/json").result(answer(JSON.readTree(ctx.body()))))
                .start("127.0.0.1", 0);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** How far the safe and finalized L2 heads trail the unsafe head, in blocks. */
    public void setLags(long safe, long finalized) {
        safeLag.set(safe);
        finalizedLag.set(finalized);
    }

    private String answer(JsonNode request) throws Exception {
        ObjectNode response = JSON.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", request.path("id"));
        if (!"optimism_syncStatus".equals(request.path("method").asText())) {
            response.putObject("error").put("code", -32601).put("message", "the method " + request.path("method").asText() + " does not exist/is not available");
            return JSON.writeValueAsString(response);
        }
        // as an op-node answers from what it holds: one look at anvil's head, then the blocks behind it in one batch
        JsonNode headBlock = l2.call("eth_getBlockByNumber", "latest", false);
        long head = Long.decode(headBlock.path("number").asText());
        List<JsonNode> behind = l2.callEach("eth_getBlockByNumber", List.of(
                List.of("0x" + Long.toHexString(Math.max(0, head - safeLag.get())), false),
                List.of("0x" + Long.toHexString(Math.max(0, head - finalizedLag.get())), false)));
        ObjectNode status = response.putObject("result");
        status.set("unsafe_l2", blockRef(headBlock));
        status.set("safe_l2", blockRef(behind.get(0)));
        status.set("finalized_l2", blockRef(behind.get(1)));
        status.set("head_l1", blockRef(headBlock));
        status.set("current_l1", blockRef(headBlock));
        return JSON.writeValueAsString(response);
    }

    private static JsonNode blockRef(JsonNode block) {
        ObjectNode ref = JSON.createObjectNode();
        ref.put("hash", block.path("hash").asText());
        ref.put("number", Long.decode(block.path("number").asText()));
        ref.put("parentHash", block.path("parentHash").asText());
        ref.put("timestamp", Long.decode(block.path("timestamp").asText()));
        return ref;
    }

    @Override
    public void close() {
        server.stop();
    }
}
