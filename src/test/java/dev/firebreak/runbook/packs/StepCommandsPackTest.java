package dev.firebreak.runbook.packs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.command.CommandLineParser;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.probe.k8s.ClusterConfig;
import dev.firebreak.runbook.Runbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code run:} step of the seed 002 and 004 packs, with each parameter set to its example,
 * parses as a command of the registry and names things the configuration has (clusters and their
 * allowed deployments, databases, services, chains, contracts, accounts); every parameter a step
 * uses is declared with an example, and every runbook is run by the pack's test class.
 */
class StepCommandsPackTest {

    private static final Pattern PARAM = Pattern.compile("\\{\\{\\s*([a-zA-Z0-9_]+)\\s*}}");

    static FirebreakConfig config;
    static CommandLineParser parser;

    @BeforeAll
    static void load() {
        config = new ConfigLoader(Path.of("."), Map.of()).load();
        CommandRegistry registry = config.commands();
        parser = new CommandLineParser(registry, Map.of("severity", s -> s.matches("P[0-3]"), "person",
                s -> config.people().stream().anyMatch(p -> p.key().equals(s)), "status", s -> true), Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"runbooks/jeju-op-stack.yaml:JejuOpStackPackTest", "runbooks/stateset-sequencer.yaml:StatesetSequencerPackTest"})
    void every_run_step_parses_and_names_configured_things(String packAndTest) throws IOException {
        String[] parts = packAndTest.split(":");
        List<String> ids = packIds(Path.of(parts[0]));
        assertThat(ids).isNotEmpty();
        String tests = Files.readString(Path.of("src/test/java/dev/firebreak/runbook/packs/" + parts[1] + ".java"));
        for (String id : ids) {
            Runbook runbook = config.runbooks().get(id);
            assertThat(runbook).as(id).isNotNull();
            assertThat(tests).as("a test runs " + id).containsPattern("/runbook run " + Pattern.quote(id) + "\\b");
            Map<String, String> examples = new java.util.HashMap<>();
            for (Runbook.Param p : runbook.params()) {
                assertThat(p.example()).as(id + " param " + p.name() + " has an example").isNotBlank();
                examples.put(p.name(), p.example());
            }
            Set<String> used = new LinkedHashSet<>();
            for (Runbook.Step step : runbook.steps()) {
                String text = String.valueOf(step.run()) + " " + step.check() + " " + step.note();
                PARAM.matcher(text).results().forEach(r -> used.add(r.group(1)));
                if (step.run() == null) continue;
                String line = fill(step.run(), examples);
                ParsedCommand parsed = parser.parse(line);
                assertNamesConfigured(id, line, parsed.args());
            }
            assertThat(examples.keySet()).as(id + ": declared parameters are the used ones").isEqualTo(used);
        }
    }

    private static void assertNamesConfigured(String id, String line, Map<String, String> args) {
        String where = id + ": " + line;
        if (args.containsKey("cluster")) {
            ClusterConfig cluster = config.clusters().clusters().get(args.get("cluster"));
            assertThat(cluster).as(where).isNotNull();
            if (args.containsKey("deployment")) assertThat(cluster.deployments()).as(where).contains(args.get("deployment"));
        }
        if (args.containsKey("database")) assertThat(config.databases().databases()).as(where).containsKey(args.get("database"));
        if (args.containsKey("service")) assertThat(config.services().services()).as(where).containsKey(args.get("service"));
        if (args.containsKey("chain")) assertThat(config.chains().chains()).as(where).containsKey(args.get("chain"));
        if (args.containsKey("contract")) assertThat(config.chains().contracts()).as(where).containsKey(args.get("contract"));
        if (args.containsKey("account") && !args.get("account").equals("all")) {
            assertThat(config.chains().accounts()).as(where).containsKey(args.get("account"));
        }
    }

    private static String fill(String text, Map<String, String> values) {
        Matcher m = PARAM.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            assertThat(values).as("parameter " + m.group(1) + " in " + text).containsKey(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    private static List<String> packIds(Path file) throws IOException {
        JsonNode pack = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        List<String> ids = new ArrayList<>();
        pack.get("runbooks").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }
}
