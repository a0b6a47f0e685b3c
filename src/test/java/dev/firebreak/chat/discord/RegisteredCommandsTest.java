package dev.firebreak.chat.discord;

import dev.firebreak.app.CommandCatalogs;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.command.ArgSpec;
import dev.firebreak.command.CommandLineParser;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.CommandFile;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.config.EnvironmentVariables;
import dev.firebreak.config.YamlReader;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own {@code commands/*.yaml}, mapped to the catalogue the way {@code Bot} maps the
 * registry, are accepted by Discord's rules and come back as the command lines the engine parses.
 */
class RegisteredCommandsTest {

    @Test
    void every_command_in_commands_registers_on_discord_and_round_trips_to_a_command_line() throws IOException {
        // only commands/ is read, so the rest of the configuration (and its environment) does not matter here
        Path root = Path.of("").toAbsolutePath();
        YamlReader yaml = new YamlReader(new EnvironmentVariables(Map.of()), root);
        List<ConfigProblem> readProblems = new ArrayList<>();
        Map<String, CommandFile> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(root.resolve("commands"))) {
            for (Path file : paths.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                yaml.read(file, CommandFile.class, readProblems).ifPresent(c -> files.put(file.toString(), c));
            }
        }
        assertThat(readProblems).isEmpty();
        assertThat(files).isNotEmpty();
        List<ConfigProblem> problems = new ArrayList<>();
        CommandRegistry registry = CommandRegistry.build(files, problems);
        assertThat(problems).isEmpty();
        CommandCatalog catalog = CommandCatalogs.of(registry);
        assertThat(DiscordCommandRules.problems(catalog)).isEmpty();
        SlashCommands commands = new SlashCommands(catalog);
        List<SlashCommandData> data = commands.commandData();
        assertThat(data).extracting(SlashCommandData::getName).containsExactlyInAnyOrderElementsOf(registry.commandNames());
        // /diag has more subcommands than Discord allows in one list, so each file is a group
        SlashCommandData diag = data.stream().filter(d -> d.getName().equals("diag")).findFirst().orElseThrow();
        assertThat(diag.getSubcommandGroups()).extracting(g -> g.getName()).containsExactlyInAnyOrder("chain", "k8s", "sql");
        assertThat(diag.getSubcommands()).extracting(s -> s.getName()).contains("health", "metrics");

        CommandSpec declare = registry.find("incident", "declare").orElseThrow();
        assertThat(declare.flags()).isNotEmpty();
        Map<String, String> values = Map.of("severity", "P1", "title", "RPC latency high", "security", "true");
        assertThat(commands.commandLine("incident", "declare", values::get)).isEqualTo("/incident declare --security P1 RPC latency high");
        assertThat(commands.commandLine("help", null, Map.of("command", "diag")::get)).isEqualTo("/help diag");

        // every subcommand, every argument given: the engine's own parser reads back what Discord sent
        CommandLineParser parser = new CommandLineParser(registry, Map.of(), Map.of());
        for (CommandSpec spec : registry.all()) {
            Map<String, String> given = new HashMap<>();
            spec.flags().forEach(f -> given.put(f.name(), "true"));
            for (ArgSpec arg : spec.args()) {
                given.put(arg.name(), switch (arg.typeOrWord()) {
                    case "int" -> "3";
                    case "text" -> "several words of text";
                    case "choice" -> arg.values().getFirst();
                    default -> "two words";
                });
            }
            if (spec.incidentScoped()) given.put("incident", "INC-4");
            String line = commands.commandLine(spec.command(), spec.subcommand().isEmpty() ? null : spec.subcommand(), given::get);
            ParsedCommand parsed = parser.parse(line);
            assertThat(parsed.spec()).as(line).isEqualTo(spec);
            for (ArgSpec arg : spec.args()) assertThat(parsed.args().get(arg.name())).as(line + " " + arg.name()).isEqualTo(given.get(arg.name()));
            assertThat(parsed.flags()).as(line).containsExactlyInAnyOrderElementsOf(spec.flags().stream().map(f -> f.name()).toList());
            if (spec.incidentScoped()) assertThat(parsed.incident()).as(line).contains(4L);
        }
    }
}
