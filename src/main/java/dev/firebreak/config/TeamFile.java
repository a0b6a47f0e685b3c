package dev.firebreak.config;

import java.util.List;
import java.util.Map;

/** {@code bot/firebreak.yaml}: roles, channels and people. */
public record TeamFile(Map<String, String> roles, Channels channels, Map<String, PersonEntry> people) {

    /** Where Firebreak listens and posts. */
    public record Channels(String incidents, String alerts, String incidentChannelPrefix) {}

    public record PersonEntry(String name, List<String> roles, Map<String, String> ids) {}
}
