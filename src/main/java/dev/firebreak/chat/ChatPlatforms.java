package dev.firebreak.chat;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The connected platforms and, for each, the ids of the incidents and alerts channels (resolved once at start-up). */
public final class ChatPlatforms {

    private final Map<String, Connected> platforms = new LinkedHashMap<>();

    /** Resolves the channels by name; a missing channel fails start-up with its name. */
    public void add(ChatPlatform platform, String incidentsChannel, String alertsChannel) {
        ChatPlatform.Channel incidents = platform.channelNamed(incidentsChannel);
        ChatPlatform.Channel alerts = platform.channelNamed(alertsChannel);
        platforms.put(platform.name(), new Connected(platform, incidents, alerts));
    }

    public ChatPlatform platform(String name) {
        return connected(name).platform();
    }

    public String incidentsChannelId(String platform) {
        return connected(platform).incidents().id();
    }

    public String alertsChannelId(String platform) {
        return connected(platform).alerts().id();
    }

    public Optional<Connected> find(String name) {
        return Optional.ofNullable(platforms.get(name));
    }

    public Collection<Connected> all() {
        return platforms.values();
    }

    private Connected connected(String name) {
        Connected c = platforms.get(name);
        if (c == null) throw new IllegalStateException("platform " + name + " is not connected");
        return c;
    }

    public record Connected(ChatPlatform platform, ChatPlatform.Channel incidents, ChatPlatform.Channel alerts) {}
}
