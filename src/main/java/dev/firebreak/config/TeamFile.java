package dev.firebreak.config;

import java.util.List;
import java.util.Map;

/** {@code bot/firebreak.yaml}: roles, channels and people. */
public record TeamFile(Map<String, String> roles, Channels channels, Map<String, PersonEntry> people) {

    /**
     * Where Firebreak listens and posts.
     *
     * @param securityResponders roles whose holders are given access to every security incident's
     *                           private channel when it is declared (besides the declarer and the
     *                           people later given an incident role); none by default
     */
    public record Channels(String incidents, String alerts, String incidentChannelPrefix, List<String> securityResponders) {

        public Channels {
            securityResponders = securityResponders == null ? List.of() : List.copyOf(securityResponders);
        }
    }

    public record PersonEntry(String name, List<String> roles, Map<String, String> ids) {}
}
