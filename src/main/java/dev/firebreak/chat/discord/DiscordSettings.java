package dev.firebreak.chat.discord;

import dev.firebreak.kernel.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Discord bot connects: its token and guild from {@code DISCORD_BOT_TOKEN} and
 * {@code DISCORD_GUILD_ID}; {@code DISCORD_API_URL} and {@code DISCORD_GATEWAY_URL} point the REST
 * API and the gateway elsewhere (a local fake in tests).
 */
public record DiscordSettings(Secret token, long guildId, Optional<String> apiUrl, Optional<String> gatewayUrl) {

    public static final String TOKEN = "DISCORD_BOT_TOKEN";
    public static final String GUILD = "DISCORD_GUILD_ID";
    public static final String API_URL = "DISCORD_API_URL";
    public static final String GATEWAY_URL = "DISCORD_GATEWAY_URL";

    /** The settings, or what is missing or wrong, in one sentence per problem. */
    public sealed interface Outcome permits Ready, Missing {}

    public record Ready(DiscordSettings settings) implements Outcome {}

    public record Missing(List<String> problems) implements Outcome {
        public String explanation() {
            return "Discord is off: " + String.join("; ", problems);
        }
    }

    public static Outcome fromEnvironment(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        String token = env.getOrDefault(TOKEN, "").strip();
        String guild = env.getOrDefault(GUILD, "").strip();
        if (token.isEmpty()) {
            problems.add(TOKEN + " is not set; set it to the bot token from the Discord developer portal (Bot > Token)");
        }
        long guildId = 0;
        if (guild.isEmpty()) {
            problems.add(GUILD + " is not set; set it to the server id (Developer Mode on, right-click the server, Copy Server ID)");
        } else {
            try {
                guildId = Long.parseUnsignedLong(guild);
            } catch (NumberFormatException e) {
                problems.add(GUILD + " is '" + guild + "', not a numeric server id; copy the id, not the server name");
            }
        }
        Optional<String> apiUrl = nonBlank(env.get(API_URL)).map(url -> url.endsWith("/") ? url : url + "/");
        Optional<String> gatewayUrl = nonBlank(env.get(GATEWAY_URL));
        apiUrl.filter(url -> !url.startsWith("http://") && !url.startsWith("https://"))
                .ifPresent(url -> problems.add(API_URL + " must start with http:// or https://, e.g. http://127.0.0.1:8080/api/v10/"));
        gatewayUrl.filter(url -> !url.startsWith("ws://") && !url.startsWith("wss://"))
                .ifPresent(url -> problems.add(GATEWAY_URL + " must start with ws:// or wss://, e.g. ws://127.0.0.1:8080/gateway"));
        if (!problems.isEmpty()) return new Missing(problems);
        return new Ready(new DiscordSettings(new Secret("env " + TOKEN, token), guildId, apiUrl, gatewayUrl));
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    @Override
    public String toString() {
        return "DiscordSettings[guildId=" + Long.toUnsignedString(guildId) + ", apiUrl=" + apiUrl.orElse("default")
                + ", gatewayUrl=" + gatewayUrl.orElse("default") + "]";
    }
}
