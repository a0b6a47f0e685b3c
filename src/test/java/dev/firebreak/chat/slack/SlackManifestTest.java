package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.app.CommandCatalogs;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.kernel.ConfigProblem;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The app manifest people install from declares the registry's commands and what the adapter calls. */
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
    void declares_exactly_the_slash_commands_of_the_registry_as_generated_from_it() throws IOException {
        CommandCatalog catalog = CommandCatalogs.of(new ConfigLoader(Path.of("."), Map.of()).load().commands());
        assertThat(texts(manifest().path("features").path("slash_commands"), "command"))
                .containsExactlyInAnyOrderElementsOf(catalog.names().stream().map(name -> "/" + name).toList());
        String text = Files.readString(Path.of(SlackManifest.FILE));
        assertThat(SlackManifest.withSlashCommands(text, catalog)).as("the manifest is as ./firebreak manifest slack --write leaves it")
                .isEqualTo(text);
        assertThat(SlackManifest.problems(catalog, text)).isEmpty();
    }

    @Test
    void a_command_one_side_lacks_is_reported_with_the_fix() throws IOException {
        CommandCatalog catalog = CommandCatalogs.of(new ConfigLoader(Path.of("."), Map.of()).load().commands());
        String text = Files.readString(Path.of(SlackManifest.FILE));
        CommandCatalog withNote = new CommandCatalog(java.util.stream.Stream.concat(catalog.commands().stream(),
                java.util.stream.Stream.of(new SlashCommand("note", "Notes", List.of()))).toList());
        assertThat(SlackManifest.problems(withNote, text)).extracting(ConfigProblem::toString).containsExactly(
                SlackManifest.FILE + ":features.slash_commands: lacks /note, which commands/ defines: Slack never sends it to Firebreak. "
                        + "Fix: " + SlackManifest.REGENERATE);
        String withPage = text.replace("  slash_commands:\n", "  slash_commands:\n    - command: /page\n      description: Page someone\n");
        assertThat(SlackManifest.problems(catalog, withPage)).extracting(ConfigProblem::toString).containsExactly(
                SlackManifest.FILE + ":features.slash_commands[0].command: declares /page, which no file in commands/ defines: "
                        + "Firebreak cannot answer it. Fix: " + SlackManifest.REGENERATE);
        assertThat(SlackManifest.withSlashCommands(withPage, catalog)).isEqualTo(text);
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
