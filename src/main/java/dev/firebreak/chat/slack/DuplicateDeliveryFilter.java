package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import dev.firebreak.chat.DeliveryLog;
import dev.firebreak.kernel.StoreUnavailable;
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
 * Each delivery key (event id, trigger id; the body's hash when a request has no id) has one
 * effect: the keys are kept in the store ({@link DeliveryLog}), so this holds across restarts too.
 *
 * <p>The key is checked after the acknowledgement, on the thread that does the work
 * ({@link #once}): a repeat is acknowledged exactly as the first delivery was (an empty 200), so
 * checking first changed nothing Slack sees, but it put a store write in front of every ack, and
 * the ack then waited for the store whenever the store was busy.
 */
final class DuplicateDeliveryFilter {

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

    /**
     * Runs {@code work} unless the request was delivered before. When the store cannot say, the
     * work runs: what it does meets the same store, and its answer says the store is unavailable.
     */
    void once(Request<?> request, Runnable work) {
        once(deliveryKey(request), work);
    }

    /** Like {@link #once(Request, Runnable)} for an Events API event, by its {@code event_id} (none: it runs). */
    void onceForEvent(String eventId, Runnable work) {
        if (eventId == null || eventId.isBlank()) {
            work.run();
            return;
        }
        once("event:" + eventId, work);
    }

    private void once(String key, Runnable work) {
        boolean first;
        try {
            first = firstDelivery(key);
        } catch (StoreUnavailable e) {
            log.warn("Could not check whether a Slack delivery was seen before ({}); handling it", e.getMessage());
            first = true;
        }
        if (!first) {
            log.info("Ignoring a repeated Slack delivery ({})", key.substring(0, key.indexOf(':')));
            return;
        }
        work.run();
    }

    static String deliveryKey(Request<?> req) {
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
