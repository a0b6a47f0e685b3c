package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The app manifest people install from matches what the adapter handles and calls. */
class SlackManifestTest {

    static JsonNode manifest() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(Path.of("bot/slack-app-manifest.yaml").toFile());
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(field == null ? node.asText() : node.path(field).asText()));
        return values;
    }

    @Test
    void declares_exactly_the_slash_commands_the_adapter_handles() throws IOException {
        assertThat(texts(manifest().path("features").path("slash_commands"), "command"))
                .containsExactlyInAnyOrderElementsOf(SlackInbound.COMMANDS);
    }

    @Test
    void asks_for_the_scopes_the_web_api_calls_need_and_subscribes_to_the_events() throws IOException {
        JsonNode manifest = manifest();
        assertThat(texts(manifest.path("oauth_config").path("scopes").path("bot"), null)).contains(
                "channels:manage", "groups:write", "chat:write", "commands", "reactions:read", "reactions:write",
                "pins:write", "channels:read", "groups:read", "channels:history", "groups:history", "users:read",
                "files:write");
        assertThat(texts(manifest.path("settings").path("event_subscriptions").path("bot_events"), null))
                .contains("reaction_added", "reaction_removed", "message.channels", "message.groups");
        assertThat(manifest.path("settings").path("socket_mode_enabled").asBoolean()).isTrue();
    }
}
