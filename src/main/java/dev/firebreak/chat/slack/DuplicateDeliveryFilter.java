package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.firebreak.chat.DeliveryLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Makes Slack's retries and replays harmless. Slack redelivers an event (same {@code event_id},
 * with {@code X-Slack-Retry-Num}) when it did not see an ack in time, Socket Mode may resend an
 * envelope, and a captured signed request can be sent again while its signature is still accepted.
 * Each delivery key (event id, trigger id, envelope id; the body's hash when a request has no id)
 * has one effect: the keys are kept in the store ({@link DeliveryLog}), so this holds across
 * restarts too.
 */
final class DuplicateDeliveryFilter implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(DuplicateDeliveryFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeliveryLog deliveries;

    DuplicateDeliveryFilter(DeliveryLog deliveries) {
        this.deliveries = deliveries;
    }

    /** True the first time a key is seen. */
    boolean firstDelivery(String key) {
        return deliveries.firstDelivery("slack", key);
    }

    @Override
    @SuppressWarnings("rawtypes") // Bolt's Middleware interface uses the raw Request type
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        String key = deliveryKey(req);
        if (!firstDelivery(key)) {
            log.info("Ignoring a repeated Slack delivery ({})", key.substring(0, key.indexOf(':')));
            return Response.ok();
        }
        return chain.next(req);
    }

    private static String deliveryKey(Request<?> req) {
        Optional<String> id = switch (req) {
            case EventRequest event -> field(event.getRequestBodyAsString(), "event_id").map(v -> "event:" + v);
            case SlashCommandRequest command -> Optional.ofNullable(command.getPayload().getTriggerId())
                    .filter(v -> !v.isBlank()).map(v -> "command:" + v);
            case BlockActionRequest action -> Optional.ofNullable(action.getPayload().getTriggerId())
                    .filter(v -> !v.isBlank()).map(v -> "action:" + v);
            default -> Optional.empty();
        };
        return id.orElseGet(() -> "body:" + sha256(String.valueOf(req.getRequestBodyAsString())));
    }

    private static Optional<String> field(String json, String name) {
        try {
            JsonNode value = JSON.readTree(json).get(name);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
