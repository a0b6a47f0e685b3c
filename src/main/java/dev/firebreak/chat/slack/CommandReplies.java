package dev.firebreak.chat.slack;

import com.google.gson.JsonObject;
import com.slack.api.Slack;
import com.slack.api.util.json.GsonFactory;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Delivers a command's {@link Reply} to the person who ran it, as an ephemeral message: through
 * the command's {@code response_url} (works in any channel, even ones the bot is not in), else
 * chat.postEphemeral. Both visibilities are ephemeral on Slack: results meant for everyone are
 * posted to the channel by the engine itself.
 */
final class CommandReplies {

    private static final Logger log = LoggerFactory.getLogger(CommandReplies.class);

    private final Slack slack;
    private final SlackPlatform platform;

    CommandReplies(Slack slack, SlackPlatform platform) {
        this.slack = slack;
        this.platform = platform;
    }

    void send(String responseUrl, String channelId, String userId, Reply reply) {
        if (responseUrl != null && !responseUrl.isBlank() && viaResponseUrl(responseUrl, reply)) return;
        try {
            platform.postPrivately(channelId, userId, reply.message());
        } catch (ChatException e) {
            log.warn("Could not deliver a command reply to {} in {}: {}", userId, channelId, e.getMessage());
        }
    }

    private boolean viaResponseUrl(String responseUrl, Reply reply) {
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.renderPrivate(reply.message());
        JsonObject body = new JsonObject();
        body.addProperty("response_type", "ephemeral");
        body.addProperty("text", rendered.fallbackText());
        body.add("blocks", GsonFactory.createSnakeCase().toJsonTree(rendered.blocks()));
        try (okhttp3.Response response = slack.getHttpClient().postJsonBody(responseUrl, body)) {
            if (response.isSuccessful()) return true;
            log.info("Slack response_url answered HTTP {}; replying with chat.postEphemeral", response.code());
        } catch (IOException | RuntimeException e) {
            log.info("Slack response_url failed ({}); replying with chat.postEphemeral", e.getClass().getSimpleName());
        }
        return false;
    }
}
