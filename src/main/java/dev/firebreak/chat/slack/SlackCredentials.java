package dev.firebreak.chat.slack;

import dev.firebreak.kernel.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Slack adapter needs from the environment. {@code SLACK_BOT_TOKEN} always; then
 * {@code SLACK_APP_TOKEN} for Socket Mode, or {@code SLACK_SIGNING_SECRET} (without an app token)
 * for HTTP mode. {@code SLACK_API_URL} optionally points the Web API elsewhere (a proxy, a test fake).
 */
public record SlackCredentials(Secret botToken, Secret appToken, Secret signingSecret, String apiUrl) {

    public static final String DEFAULT_API_URL = "https://slack.com/api/";

    public enum Mode { SOCKET, HTTP }

    public SlackCredentials {
        apiUrl = apiUrl == null || apiUrl.isBlank() ? DEFAULT_API_URL : apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
    }

    /** Socket Mode when an app token is present, HTTP mode otherwise (a signing secret is then present). */
    public Mode mode() {
        return appToken.isPresent() ? Mode.SOCKET : Mode.HTTP;
    }

    /** The credentials, or empty when the environment lacks some; {@link #missingIn} says which. */
    public static Optional<SlackCredentials> fromEnvironment(Map<String, String> environment) {
        if (!missingIn(environment).isEmpty()) return Optional.empty();
        return Optional.of(new SlackCredentials(
                secret(environment, "SLACK_BOT_TOKEN"),
                secret(environment, "SLACK_APP_TOKEN"),
                secret(environment, "SLACK_SIGNING_SECRET"),
                environment.get("SLACK_API_URL")));
    }

    /** One sentence per missing variable, empty when Slack can start. Names variables, never values. */
    public static List<String> missingIn(Map<String, String> environment) {
        List<String> missing = new ArrayList<>();
        if (blank(environment, "SLACK_BOT_TOKEN")) {
            missing.add("SLACK_BOT_TOKEN is not set; copy the Bot User OAuth Token (xoxb-...) from the app's"
                    + " OAuth & Permissions page");
        }
        if (blank(environment, "SLACK_APP_TOKEN") && blank(environment, "SLACK_SIGNING_SECRET")) {
            missing.add("neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set; set SLACK_APP_TOKEN (xapp-...,"
                    + " Basic Information > App-Level Tokens, scope connections:write) for Socket Mode, or"
                    + " SLACK_SIGNING_SECRET (Basic Information > App Credentials) for HTTP mode");
        }
        return missing;
    }

    private static boolean blank(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isBlank();
    }

    private static Secret secret(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return new Secret("env " + name, value == null ? "" : value.trim());
    }

    @Override
    public String toString() {
        return "SlackCredentials[mode=" + mode() + ", apiUrl=" + apiUrl + "]";
    }
}
