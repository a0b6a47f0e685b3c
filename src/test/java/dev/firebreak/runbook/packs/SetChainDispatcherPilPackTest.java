package dev.firebreak.runbook.packs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.command.CommandLineParser;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.probe.chain.ChainsConfig;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.runbook.RunbookPack;
import dev.firebreak.runbook.RunbookRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packs of seeds 000 (Set Chain), 001 (ManifestDispatcher) and 003 (PIL) without a demo: each
 * {@code run:} step, its parameters filled with their examples, parses as a command of the
 * registry, and every contract, function and event it names is configured in bot/chains.yaml.
 */
class SetChainDispatcherPilPackTest {

    static final List<String> PACKS = List.of("runbooks/set-chain.yaml", "runbooks/manifest-dispatcher.yaml", "runbooks/pil.yaml");

    static FirebreakConfig config;
    static CommandLineParser parser;

    @BeforeAll
    static void load() {
        config = new ConfigLoader(Path.of("."), Map.of()).load();
        CommandRegistry registry = config.commands();
        parser = new CommandLineParser(registry, Map.of("severity", s -> s.matches("P[0-3]"), "person", s -> true,
                "status", s -> true), Map.of());
    }

    static RunbookPack pack(String file) {
        try {
            return new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .readValue(Path.of(file).toFile(), RunbookPack.class);
        } catch (IOException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
    }

    /** Every runbook id of the three packs, in file order. */
    static List<String> ids(String file) {
        return pack(file).runbooks().stream().map(Runbook::id).toList();
    }

    static Map<String, String> examples(Runbook runbook) {
        return runbook.params().stream().collect(Collectors.toMap(Runbook.Param::name, Runbook.Param::example));
    }

    @Test
    void every_run_step_parses_as_a_registered_command_with_its_parameters_filled() {
        int steps = 0;
        for (String file : PACKS) {
            for (Runbook runbook : pack(file).runbooks()) {
                assertThat(config.runbooks()).as(file + " is loaded").containsKey(runbook.id());
                for (Runbook.Step step : runbook.steps()) {
                    if (step.run() == null) continue;
                    String line = fill(step.run(), examples(runbook));
                    assertThat(line).as(runbook.id()).doesNotContain("{{");
                    ParsedCommand parsed = parser.parse(line);
                    assertThat(parsed.spec().command()).isIn("diag", "action", "incident", "runbook");
                    steps++;
                }
            }
        }
        assertThat(steps).isGreaterThan(150);
    }

    @Test
    void every_parameter_has_an_example_and_is_used_and_every_placeholder_is_declared() {
        for (String file : PACKS) {
            for (Runbook runbook : pack(file).runbooks()) {
                Set<String> declared = runbook.params().stream().map(Runbook.Param::name).collect(Collectors.toSet());
                assertThat(declared).as(runbook.id() + " declares what it uses")
                        .containsExactlyInAnyOrderElementsOf(RunbookRunner.parametersUsed(runbook));
                runbook.params().forEach(p -> assertThat(p.example()).as(runbook.id() + " " + p.name()).isNotBlank());
                assertThat(runbook.steps()).as(runbook.id()).isNotEmpty();
                runbook.steps().forEach(s -> assertThat(s.text()).as(runbook.id()).isNotBlank());
            }
        }
    }

    @Test
    void every_contract_function_and_event_named_in_a_step_is_in_the_chain_configuration() {
        ChainsConfig chains = config.chains();
        for (String file : PACKS) {
            for (Runbook runbook : pack(file).runbooks()) {
                for (Runbook.Step step : runbook.steps()) {
                    if (step.run() == null) continue;
                    String[] words = fill(step.run(), Map.of("dispatcher", "manifestDispatcher")).split("\\s+");
                    String what = words[0] + " " + words[1];
                    List<String> names = switch (what) {
                        case "/diag read" -> names(chains.contracts().get(words[2]).reads());
                        case "/diag estimate", "/action contract-call" -> names(chains.contracts().get(words[2]).actions());
                        case "/diag chain-events" -> names(chains.contracts().get(words[2]).events());
                        default -> null;
                    };
                    if (names != null) assertThat(names).as(runbook.id() + ": " + step.run()).contains(words[3]);
                    String function = Map.of("pause", "pause", "unpause", "unpause", "grant-role", "grantRole",
                            "revoke-role", "revokeRole", "deauthorize-sequencer", "deauthorizeSequencer").get(words[1]);
                    if (words[0].equals("/action") && function != null) {
                        assertThat(names(chains.contracts().get(words[2]).actions())).as(runbook.id() + ": " + step.run()).contains(function);
                    }
                }
            }
        }
    }

    private static List<String> names(List<String> signatures) {
        return signatures.stream().map(s -> s.substring(0, s.indexOf('(')).trim()).toList();
    }

    private static String fill(String text, Map<String, String> values) {
        String out = text;
        for (var e : values.entrySet()) out = out.replace("{{" + e.getKey() + "}}", e.getValue());
        return out;
    }
}
