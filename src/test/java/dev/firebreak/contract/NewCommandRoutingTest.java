package dev.firebreak.contract;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command added as one YAML file in {@code commands/} is routed on every platform without a line
 * of code: on Slack (a signed request through the real Bolt app) and on Discord (an interaction
 * through the real JDA client), the adapters register what the registry has.
 */
class NewCommandRoutingTest {

    static final String GUIDE = """
            command: guide
            description: Where to start when you are new here
            summary: Lists the commands you may run
            args:
              - {name: command, type: word, optional: true, description: "a command, e.g. incident"}
            builtin: help
            """;

    @TempDir
    Path config;
    @TempDir
    Path data;

    @BeforeEach
    void copyTheConfigurationAndAddACommand() throws IOException {
        for (String folder : List.of("bot", "commands", "runbooks", "templates")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Path target = config.resolve(file.toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, target);
                }
            }
        }
        Files.writeString(config.resolve("commands/guide.yaml"), GUIDE);
    }

    @Test
    void a_command_added_in_yaml_is_answered_on_slack() {
        assertThatTheNewCommandIsAnswered(environment -> new SlackDriver(environment, SlackDriver.Transport.HTTP));
    }

    @Test
    void a_command_added_in_yaml_is_answered_on_discord() {
        assertThatTheNewCommandIsAnswered(DiscordChatDriver::new);
    }

    private void assertThatTheNewCommandIsAnswered(Function<ContractEnvironment, ChatDriver> platform) {
        try (ContractEnvironment environment = ContractEnvironment.start(data, config);
             ChatDriver chat = platform.apply(environment)) {
            chat.command("alice", chat.channelNamed("incidents"), "/guide incident");
            assertThat(chat.privateTo("alice")).singleElement().asString()
                    .contains("/incident declare").doesNotContain("Unknown command");
            chat.command("alice", chat.channelNamed("incidents"), "/guide");
            assertThat(chat.privateTo("alice")).last().asString().contains("/guide").contains("/diag");
        }
    }
}
