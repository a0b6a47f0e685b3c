package dev.firebreak.chat.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import dev.firebreak.chat.ChatException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Calls Slack's Web API and turns every failure into a {@link ChatException}: HTTP 429 or
 * {@code ratelimited} is {@link ChatException#rateLimited} with Slack's {@code Retry-After};
 * errors retrying cannot fix (invalid_auth, not_in_channel, channel_not_found, missing_scope, ...)
 * are permanent; network failures and Slack's own 5xx are transient. Messages name the method,
 * the error code and a fix, never the token.
 */
final class SlackWebApi {

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private static final Set<String> TRANSIENT_ERRORS = Set.of(
            "internal_error", "fatal_error", "service_unavailable", "request_timeout", "timeout",
            "ekm_access_denied", "team_added_to_org");

    private static final Map<String, String> HINTS = Map.ofEntries(
            Map.entry("invalid_auth", "check SLACK_BOT_TOKEN: it must be the app's current Bot User OAuth Token (xoxb-...)"),
            Map.entry("not_authed", "set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-...)"),
            Map.entry("token_revoked", "the app was uninstalled or its token revoked; reinstall it and update SLACK_BOT_TOKEN"),
            Map.entry("account_inactive", "the app was uninstalled or its token revoked; reinstall it and update SLACK_BOT_TOKEN"),
            Map.entry("not_in_channel", "invite the bot to the channel with /invite @Firebreak"),
            Map.entry("channel_not_found", "check the channel id or name and that the bot can see it (private channels need an invite)"),
            Map.entry("is_archived", "the channel is archived; unarchive it or use another channel"),
            Map.entry("name_taken", "a channel with this name exists already; pick another name or archive the old channel"),
            Map.entry("missing_scope", "add the missing scope in the app's OAuth & Permissions page and reinstall the app"),
            Map.entry("restricted_action", "a workspace setting forbids this; ask a Slack admin"),
            Map.entry("user_not_found", "check the Slack user ids (U...) configured for people"),
            Map.entry("message_not_found", "the message was deleted or the id is wrong"));

    private final MethodsClient methods;

    SlackWebApi(MethodsClient methods) {
        this.methods = methods;
    }

    /** One Web API call. */
    @FunctionalInterface
    interface Call<T extends SlackApiTextResponse> {
        T run(MethodsClient methods) throws IOException, SlackApiException;
    }

    /**
     * Runs {@code call} against Slack method {@code method}; {@code subject} (a channel id, a channel
     * name) goes into error messages. Errors listed in {@code accepted} count as success.
     */
    <T extends SlackApiTextResponse> T call(String method, String subject, Call<T> call, String... accepted) {
        T response;
        try {
            response = call.run(methods);
        } catch (SlackApiException e) {
            throw httpFailure(method, subject, e.getResponse().code(), e.getResponse().header("Retry-After"),
                    e.getError() == null ? null : e.getError().getError());
        } catch (IOException e) {
            throw ChatException.transientFailure("Slack " + method + " (" + subject + ") failed: "
                    + e.getClass().getSimpleName() + "; Slack may be unreachable, it will be retried");
        }
        if (response == null) {
            throw ChatException.transientFailure("Slack " + method + " (" + subject + ") returned no response");
        }
        if (response.isOk() || List.of(accepted).contains(response.getError())) return response;
        throw apiError(method, subject, response.getError(), response.getNeeded(),
                header(response.getHttpResponseHeaders(), "Retry-After"));
    }

    static ChatException httpFailure(String method, String subject, int status, String retryAfter, String error) {
        if (status == 429) return ChatException.rateLimited(retryAfter(retryAfter));
        if (error != null && !error.isBlank()) return apiError(method, subject, error, null, retryAfter);
        if (status >= 500) {
            return ChatException.transientFailure("Slack " + method + " (" + subject + ") failed: HTTP " + status
                    + "; Slack is having trouble, it will be retried");
        }
        if (status == 401 || status == 403) {
            return ChatException.permanent("Slack " + method + " (" + subject + ") was refused: HTTP " + status
                    + "; " + HINTS.get("invalid_auth"));
        }
        return ChatException.permanent("Slack " + method + " (" + subject + ") failed: HTTP " + status
                + "; check SLACK_API_URL if it is set");
    }

    static ChatException apiError(String method, String subject, String error, String needed, String retryAfter) {
        String code = error == null || error.isBlank() ? "unknown_error" : error;
        if (code.equals("ratelimited") || code.equals("rate_limited")) {
            return ChatException.rateLimited(retryAfter(retryAfter));
        }
        String prefix = "Slack " + method + " (" + subject + ") failed: " + code;
        if (TRANSIENT_ERRORS.contains(code)) {
            return ChatException.transientFailure(prefix + "; a Slack-side problem, it will be retried");
        }
        String hint = HINTS.getOrDefault(code, "see https://api.slack.com/methods/" + method + " for what it means");
        if (code.equals("missing_scope") && needed != null && !needed.isBlank()) {
            hint = "add the scope " + needed + " in the app's OAuth & Permissions page and reinstall the app";
        }
        return ChatException.permanent(prefix + "; " + hint);
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) return DEFAULT_RETRY_AFTER;
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds <= 0 ? DEFAULT_RETRY_AFTER : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) return null;
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }
}
