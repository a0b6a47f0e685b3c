package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Makes Slack's retries and replays harmless. Slack redelivers an event (same {@code event_id},
 * with {@code X-Slack-Retry-Num}) when it did not see an ack in time, and Socket Mode may resend
 * an envelope; each delivery key has one effect within the retention window. Also drops events
 * from other workspaces (shared channels): only the bot's own team counts.
 */
final class DuplicateDeliveryFilter implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(DuplicateDeliveryFilter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static final Duration RETENTION = Duration.ofHours(1);

    private final Cache<String, Boolean> seen;
    private final java.util.function.Supplier<String> botTeamId;

    DuplicateDeliveryFilter(Clock clock, java.util.function.Supplier<String> botTeamId) {
        this.botTeamId = botTeamId;
        this.seen = Caffeine.newBuilder()
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfterWrite(RETENTION)
                .maximumSize(100_000)
                .build();
    }

    /** True the first time a key is seen within the retention window. */
    boolean firstDelivery(String key) {
        return seen.asMap().putIfAbsent(key, Boolean.TRUE) == null;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bolt's Middleware interface uses the raw Request type
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        Optional<String> key = deliveryKey(req);
        if (key.isPresent() && !firstDelivery(key.get())) {
            log.info("Ignoring a repeated Slack delivery ({})", key.get().substring(0, key.get().indexOf(':')));
            return Response.ok();
        }
        if (req instanceof EventRequest event && fromAnotherTeam(event)) {
            log.info("Ignoring a Slack event from another workspace");
            return Response.ok();
        }
        return chain.next(req);
    }

    private static Optional<String> deliveryKey(Request<?> req) {
        return switch (req) {
            case EventRequest event -> field(event.getRequestBodyAsString(), "event_id").map(id -> "event:" + id);
            case SlashCommandRequest command -> Optional.ofNullable(command.getPayload().getTriggerId())
                    .map(id -> "command:" + id);
            case BlockActionRequest action -> Optional.ofNullable(action.getPayload().getTriggerId())
                    .map(id -> "action:" + id);
            default -> Optional.empty();
        };
    }

    private boolean fromAnotherTeam(EventRequest event) {
        String ours = botTeamId.get();
        if (ours == null) return false;
        try {
            JsonNode body = JSON.readTree(event.getRequestBodyAsString());
            String envelopeTeam = body.path("team_id").asText("");
            String userTeam = body.path("event").path("user_team").asText("");
            return (!envelopeTeam.isEmpty() && !envelopeTeam.equals(ours))
                    || (!userTeam.isEmpty() && !userTeam.equals(ours));
        } catch (Exception e) {
            return false;
        }
    }

    private static Optional<String> field(String json, String name) {
        try {
            JsonNode value = JSON.readTree(json).get(name);
            return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
