package dev.firebreak.chat.slack;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.slack.api.Slack;
import com.slack.api.util.json.GsonFactory;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

import java.io.IOException;

/**
 * Delivers a command's {@link Reply} to the person who ran it, as an ephemeral message: through
 * the command's {@code response_url} (works in any channel, even ones the bot is not in), else
 * chat.postEphemeral. Both visibilities are ephemeral on Slack: results meant for everyone are
 * posted to the channel by the engine itself.
 */
final class CommandReplies {

    private static final Logger log = LoggerFactory.getLogger(CommandReplies.class);
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    /** Block Kit's field names are snake case; one encoder for every reply (the SDK's post builds one per call). */
    private static final Gson SNAKE_CASE = GsonFactory.createSnakeCase();

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
        body.add("blocks", SNAKE_CASE.toJsonTree(rendered.blocks()));
        try (okhttp3.Response response = slack.getHttpClient().getOkHttpClient().newCall(new Request.Builder().url(responseUrl)
                .post(RequestBody.create(SNAKE_CASE.toJson(body), JSON)).build()).execute()) {
            if (response.isSuccessful()) return true;
            log.info("Slack response_url answered HTTP {}; replying with chat.postEphemeral", response.code());
        } catch (IOException | RuntimeException e) {
            log.info("Slack response_url failed ({}); replying with chat.postEphemeral", e.getClass().getSimpleName());
        }
        return false;
    }
}
