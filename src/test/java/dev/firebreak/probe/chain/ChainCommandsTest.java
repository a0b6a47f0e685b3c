package dev.firebreak.probe.chain;

import dev.firebreak.command.CommandFile;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.config.EnvironmentVariables;
import dev.firebreak.config.YamlReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ChainCommandsTest {

    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    @Test
    void chain_commands_load_with_the_others_and_point_at_existing_handlers() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        YamlReader yaml = new YamlReader(new EnvironmentVariables(Map.of("FIREBREAK_GUARDIAN_KEY", KEY, "FIREBREAK_FUNDER_KEY", KEY)), root);
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, CommandFile> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(root.resolve("commands"))) {
            list.filter(p -> p.toString().endsWith(".yaml")).forEach(p ->
                    yaml.read(p, CommandFile.class, problems).ifPresent(f -> files.put(p.getFileName().toString(), f)));
        }
        List<ConfigProblem> registryProblems = new ArrayList<>();
        CommandRegistry registry = CommandRegistry.build(files, registryProblems);
        assertThat(problems).isEmpty();
        assertThat(registryProblems).isEmpty();

        ChainsConfig config = yaml.read(root.resolve("bot/chains.yaml"), ChainsConfig.class, problems).orElseThrow();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor();
             ChainOperations operations = new ChainOperations(config, null, Clock.systemUTC(), executor)) {
            List<CommandSpec> chainCommands = registry.all().stream()
                    .filter(spec -> spec.target().name().startsWith("chain.")).toList();
            assertThat(chainCommands).hasSize(operations.probes().size() + operations.actions().size());
            for (CommandSpec spec : chainCommands) {
                if (spec.target().kind() == CommandSpec.Kind.PROBE) {
                    assertThat(operations.probes()).as(spec.command() + " " + spec.subcommand()).containsKey(spec.target().name());
                } else {
                    assertThat(operations.actions()).as(spec.command() + " " + spec.subcommand()).containsKey(spec.target().name());
                    if (operations.transactionActions().contains(spec.target().name())) {
                        assertThat(spec.policy()).as("chain actions that send are approval-gated").isNotNull();
                        if (!spec.target().name().equals(ChainOperations.PRESIGNED_RUN)) {
                            assertThat(spec.policy()).isEqualTo("chain-two-approvers");
                        } else {
                            assertThat(spec.policy()).as("a pre-signed pause is already signed by the owners").isEqualTo("presigned-pause");
                        }
                    } else {
                        assertThat(spec.target().name()).as("only storing or removing a pre-signed pause sends nothing")
                                .isIn(ChainOperations.PRESIGNED_ADD, ChainOperations.PRESIGNED_REMOVE);
                    }
                }
            }
        }
    }
}
