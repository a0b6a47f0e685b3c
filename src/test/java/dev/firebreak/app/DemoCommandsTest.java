package dev.firebreak.app;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.slack.SlackManifest;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoSigning;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /demo sign} belongs to the demo: its command is added by the demo's wiring
 * ({@link Firebreak.Extension}), so the production catalog, the Slack manifest and the engine
 * {@code firebreak run} assembles know nothing of it.
 */
class DemoCommandsTest {

    private static FirebreakConfig production() {
        return new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();
    }

    @Test
    void the_production_catalog_and_the_slack_manifest_hold_no_demo_command() throws IOException {
        CommandCatalog catalog = CommandCatalogs.of(production().commands());
        assertThat(catalog.names()).doesNotContain("demo").contains("action", "diag");
        String manifest = Files.readString(Path.of(SlackManifest.FILE));
        assertThat(manifest).doesNotContain("/demo").doesNotContain("demo.sign");
        assertThat(SlackManifest.problems(catalog, manifest)).as("the manifest declares the production commands").isEmpty();
        assertThat(ConfigurationCheck.run(Path.of("."), Map.of()).criticals()).as("what firebreak check and run accept").isEmpty();
    }

    @Test
    void the_demo_adds_its_command_beside_commands_and_never_over_one() {
        var withDemo = production().commands().with(DemoSigning.commands());
        CommandCatalog catalog = CommandCatalogs.of(withDemo);
        assertThat(catalog.names()).contains("demo");
        assertThat(withDemo.find("demo", "sign")).hasValueSatisfying(spec -> {
            assertThat(spec.target().name()).isEqualTo(DemoSigning.BUILTIN);
            assertThat(spec.role()).isEqualTo("responder");
        });
        assertThatThrownBy(() -> withDemo.with(DemoSigning.commands())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/demo is already defined");
    }

    @Test
    void the_engine_firebreak_run_assembles_answers_demo_sign_as_an_unknown_command(@TempDir Path data) {
        try (ConsoleBot bot = ConsoleBot.started(production(), "jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            assertThat(bot.say("alice", "/demo sign A-1 as owner2").message().plainText())
                    .contains("Unknown command /demo").contains("/help lists the commands you can run");
            assertThat(bot.say("alice", "/help").message().plainText()).doesNotContain("/demo");
        }
    }
}
