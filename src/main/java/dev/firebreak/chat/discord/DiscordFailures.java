package dev.firebreak.chat.discord;

import dev.firebreak.chat.ChatException;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.exceptions.RateLimitedException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns what JDA throws into {@link ChatException}s that say what failed and how to fix it.
 * JDA itself waits out Discord's 429 answers and never repeats a 4xx request; a 401 or 403 is
 * reported here once, as permanent, and logged once.
 */
final class DiscordFailures {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordFailures.class);

    private DiscordFailures() {}

    static ChatException translate(String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        ChatException result = switch (cause) {
            case ChatException chat -> chat;
            case ErrorResponseException error -> fromResponse(what, error);
            case InsufficientPermissionException missing -> ChatException.permanent(what + ": the bot lacks the "
                    + missing.getPermission().getName() + " permission there; grant it to the bot's role or in the channel");
            case RateLimitedException limited -> ChatException.rateLimited(Duration.ofMillis(limited.getRetryAfter()));
            case TimeoutException timeout -> ChatException.transientFailure(what + ": Discord did not answer in time");
            case CancellationException cancelled -> ChatException.transientFailure(what + ": cancelled (the bot is shutting down or the request timed out)");
            case IllegalArgumentException bad -> ChatException.permanent(what + ": " + bad.getMessage());
            case IllegalStateException state -> ChatException.permanent(what + ": " + state.getMessage());
            default -> ChatException.transientFailure(what + ": " + cause.getClass().getSimpleName());
        };
        if (result.permanent()) LOG.warn("Discord: {}", result.getMessage());
        return result;
    }

    private static ChatException fromResponse(String what, ErrorResponseException error) {
        int status = error.getResponse() == null ? 0 : error.getResponse().code;
        String meaning = error.getMeaning() + " (HTTP " + status + ", Discord code " + error.getErrorCode() + ")";
        if (error.getErrorResponse() == ErrorResponse.CANNOT_SEND_TO_USER) {
            return ChatException.permanent(what + ": the person does not accept direct messages from server members, " + meaning);
        }
        return switch (status) {
            case 401 -> ChatException.permanent(what + ": Discord rejected the bot token, " + meaning
                    + "; set " + DiscordSettings.TOKEN + " to the bot's current token");
            case 403 -> ChatException.permanent(what + ": Discord refused, " + meaning
                    + "; give the bot's role the missing permission in that channel (View Channel, Send Messages, "
                    + "Add Reactions, Read Message History, Manage Messages for pins, Manage Channels for channels)");
            case 404 -> ChatException.permanent(what + ": not found, " + meaning + "; check the channel or message id");
            default -> status >= 500 || error.isServerError()
                    ? ChatException.transientFailure(what + ": Discord had a server error, " + meaning)
                    : ChatException.permanent(what + ": Discord rejected the request, " + meaning);
        };
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
