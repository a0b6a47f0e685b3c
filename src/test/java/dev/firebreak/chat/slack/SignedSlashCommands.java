package dev.firebreak.chat.slack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Sends slash commands to Firebreak's {@code /slack/events} as Slack does in HTTP mode: a form body
 * signed with the signing secret, its response_url on the {@link FakeSlackServer}. Returns the
 * HTTP status, Slack's acknowledgement (-1 when no answer came).
 */
public final class SignedSlashCommands {

    private final FakeSlackServer slack;
    private final URI endpoint;
    private final String signingSecret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SignedSlashCommands(FakeSlackServer slack, int firebreakPort, String signingSecret) {
        this.slack = slack;
        this.endpoint = URI.create("http://127.0.0.1:" + firebreakPort + "/slack/events");
        this.signingSecret = signingSecret;
    }

    /** {@code command} is e.g. {@code /incident}, {@code text} the rest of the line; {@code trigger} must be unique. */
    public int send(String userId, String channelId, String command, String text, String trigger) {
        String body = SlackPayloads.slashCommandForm(command, text, userId, channelId, trigger, slack.responseUrl(trigger));
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", String.valueOf(now))
                .header("X-Slack-Signature", SlackSigner.sign(signingSecret, now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
