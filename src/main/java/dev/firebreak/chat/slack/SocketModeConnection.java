package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.socket_mode.request.SocketModeRequest;
import com.slack.api.bolt.socket_mode.request.SocketModeRequestParser;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.util.json.GsonFactory;
import dev.firebreak.kernel.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The Socket Mode transport: a WebSocket to Slack (Java-WebSocket backend) whose envelopes run
 * through the Bolt app and are acknowledged with their {@code envelope_id}. A repeated envelope
 * is acknowledged again but runs once (its event or trigger id, checked after the ack by
 * {@link DuplicateDeliveryFilter}). Every {@code hello} (first connect and each reconnect)
 * calls {@code onConnected}, so the adapter can catch up on what happened while it was away.
 */
final class SocketModeConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketModeConnection.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Slack slack;
    private final Secret appToken;
    private final App app;
    private final Runnable onConnected;
    private final Gson gson;
    private final SocketModeRequestParser parser;
    private volatile SocketModeClient client;
    private volatile boolean connected;

    SocketModeConnection(Slack slack, Secret appToken, App app, Runnable onConnected) {
        this.slack = slack;
        this.appToken = appToken;
        this.app = app;
        this.onConnected = onConnected;
        this.gson = GsonFactory.createSnakeCase(slack.getConfig());
        this.parser = new SocketModeRequestParser(app.config());
    }

    void connect() throws IOException {
        SocketModeClient socket = slack.socketMode(appToken.reveal(), SocketModeClient.Backend.JavaWebSocket);
        socket.addWebSocketMessageListener(message -> dispatch(socket, message));
        socket.addWebSocketCloseListener((code, reason) -> {
            connected = false;
            log.info("Slack Socket Mode connection closed (code {}); it reconnects by itself", code);
        });
        socket.addWebSocketErrorListener(error ->
                log.warn("Slack Socket Mode connection error: {}", error.getClass().getSimpleName()));
        client = socket;
        socket.connect();
    }

    boolean connected() {
        return connected;
    }

    private void dispatch(SocketModeClient socket, String message) {
        String type;
        String envelopeId;
        try {
            JsonNode node = JSON.readTree(message);
            type = node.path("type").asText("");
            envelopeId = node.path("envelope_id").asText("");
        } catch (IOException e) {
            log.warn("Ignoring a Socket Mode frame that is not JSON");
            return;
        }
        if (type.equals("hello")) {
            connected = true;
            log.info("Connected to Slack over Socket Mode");
            onConnected.run();
            return;
        }
        if (envelopeId.isEmpty()) return;
        SocketModeRequest request = parser.parse(message);
        if (request == null) return;
        try {
            Response response = app.run(request.getBoltRequest());
            if (response.getStatusCode() != 200) {
                log.warn("Slack {} envelope was not handled (status {})", type, response.getStatusCode());
                return;
            }
            socket.sendSocketModeResponse(ackWithPayload(envelopeId, response));
        } catch (Exception e) {
            log.error("Handling a Slack {} envelope failed", type, e);
        }
    }

    private String ackWithPayload(String envelopeId, Response response) {
        JsonObject ack = new JsonObject();
        ack.addProperty("envelope_id", envelopeId);
        String body = response.getBody();
        if (body != null && !body.isBlank()) {
            if (response.getContentType() != null && response.getContentType().startsWith("application/json")) {
                ack.add("payload", gson.fromJson(body, JsonElement.class));
            } else {
                JsonObject payload = new JsonObject();
                payload.addProperty("text", body);
                ack.add("payload", payload);
            }
        }
        return gson.toJson(ack);
    }

    @Override
    public void close() {
        connected = false;
        SocketModeClient socket = client;
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException | RuntimeException e) {
            log.info("Closing the Slack Socket Mode connection: {}", e.getClass().getSimpleName());
        }
    }
}
