package dev.firebreak.chat.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.bolt.util.SlackRequestParser;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.kernel.WebhookResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Slack's HTTP mode endpoint ({@code /slack/events}: slash commands, events and interactivity).
 * Every request's signature and timestamp are checked here first; anything that fails gets 401
 * and reaches nothing else. Genuine requests run through the Bolt app.
 */
final class SlackHttpEndpoint implements Webhook {

    private static final Logger log = LoggerFactory.getLogger(SlackHttpEndpoint.class);

    private final SlackRequestSignature signature;
    private final App app;
    private final SlackRequestParser parser;

    SlackHttpEndpoint(SlackRequestSignature signature, App app) {
        this.signature = signature;
        this.app = app;
        this.parser = new SlackRequestParser(app.config());
    }

    @Override
    public WebhookResponse handle(WebhookRequest request) {
        byte[] body = request.body();
        Optional<String> problem = signature.problem(
                request.header("X-Slack-Request-Timestamp").orElse(null),
                request.header("X-Slack-Signature").orElse(null), body);
        if (problem.isPresent()) {
            log.warn("Rejected a request to the Slack endpoint: {}", problem.get());
            return WebhookResponse.text(401, "invalid request signature");
        }
        Map<String, List<String>> headers = new HashMap<>();
        request.headers().forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), List.of(value)));
        try {
            Request<?> boltRequest = parser.parse(SlackRequestParser.HttpRequest.builder()
                    .requestUri("/slack/events")
                    .queryString(Map.of())
                    .headers(new RequestHeaders(headers))
                    .requestBody(request.bodyText())
                    .remoteAddress("")
                    .build());
            if (boltRequest == null) return WebhookResponse.text(400, "not a Slack request this app understands");
            Response response = app.run(boltRequest);
            return new WebhookResponse(response.getStatusCode(), response.getContentType(),
                    response.getBody() == null ? "" : response.getBody());
        } catch (Exception e) {
            log.error("Handling a Slack HTTP request failed", e);
            return WebhookResponse.text(500, "internal error");
        }
    }
}
