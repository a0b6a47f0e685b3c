package dev.firebreak.config;

import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.ConfigProblem;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The repository's own configuration loads; broken copies of it report every reading problem at once. */
class ConfigLoaderTest {

    @TempDir
    Path root;

    @BeforeEach
    void copyRepositoryConfiguration() throws IOException {
        for (String folder : List.of("bot", "commands", "runbooks", "templates")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Path target = root.resolve(file.toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, target);
                }
            }
        }
    }

    private List<ConfigProblem> problems(Map<String, String> env) {
        try {
            new ConfigLoader(root, env).load();
            return List.of();
        } catch (InvalidConfiguration e) {
            return e.problems();
        }
    }

    private void replace(String file, String from, String to) throws IOException {
        Path path = root.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    @Test
    void the_demo_configuration_is_valid() {
        FirebreakConfig config = new ConfigLoader(root, Map.of()).load();
        assertThat(config.people()).extracting(p -> p.key()).containsExactly("alice", "bob", "carol", "mallory");
        assertThat(config.severities()).extracting(s -> s.id() + "/" + Durations.format(s.updateEvery()))
                .startsWith("P0/15m", "P1/30m");
        assertThat(config.services().services().get("sequencer").baseUrl()).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void every_reading_problem_is_reported_at_once_with_file_line_and_fix() throws IOException {
        replace("bot/firebreak.yaml", "    roles: [responder, approver]\n    ids: {console: bob",
                "    rols: [responder, approver]\n    ids: {console: bob");
        replace("bot/services.yaml", "token: ${SEQUENCER_API_TOKEN:-}", "token: hunter2-literal");
        replace("bot/services.yaml", "${SEQUENCER_URL:-http://127.0.0.1:8080}", "${SEQUENCER_URL}");
        replace("bot/approvals.yaml", "expiresAfter: 30m", "expiresAfter: half an hour");

        List<ConfigProblem> problems = problems(Map.of());
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                        .startsWith("bot/firebreak.yaml:20:").contains("unknown key 'rols'").contains("use one of: ids, name, roles"))
                .anySatisfy(p -> assertThat(p).startsWith("bot/services.yaml:").contains("a secret is written into the configuration")
                        .doesNotContain("hunter2"))
                .anySatisfy(p -> assertThat(p).contains("environment variable SEQUENCER_URL is not set")
                        .contains("${SEQUENCER_URL:-value}"))
                .anySatisfy(p -> assertThat(p).startsWith("bot/approvals.yaml:").contains("'half an hour' is not a duration"));
        assertThat(problems).hasSize(4);
    }

    @Test
    void what_was_read_comes_back_with_the_problems_and_where_each_runbook_is() throws IOException {
        replace("bot/approvals.yaml", "expiresAfter: 30m", "expiresAfter: half an hour");
        ConfigLoader.Loaded loaded = new ConfigLoader(root, Map.of()).read();
        assertThat(loaded.problems()).singleElement().asString().contains("'half an hour' is not a duration");
        assertThat(loaded.config().people()).extracting(p -> p.key()).containsExactly("alice", "bob", "carol", "mallory");
        assertThat(loaded.runbooks()).first().satisfies(r -> {
            assertThat(r.file()).isEqualTo("runbooks/first-response.yaml");
            assertThat(r.index()).isZero();
            assertThat(r.runbook().id()).isEqualTo("first-response");
        });
        assertThat(loaded.runbooks()).hasSize(loaded.config().runbooks().size());
    }

    @Test
    void environment_values_fill_references_and_secrets_never_print() {
        FirebreakConfig config = new ConfigLoader(root, Map.of("SEQUENCER_URL", "http://seq.internal:8080",
                "SEQUENCER_API_TOKEN", "tok-123")).load();
        var sequencer = config.services().services().get("sequencer");
        assertThat(sequencer.baseUrl()).isEqualTo("http://seq.internal:8080");
        assertThat(sequencer.token().reveal()).isEqualTo("tok-123");
        assertThat(sequencer.token().toString()).isEqualTo("****");
        assertThat(sequencer.toString()).doesNotContain("tok-123");
        assertThat(sequencer.token().source()).isEqualTo("env SEQUENCER_API_TOKEN");
    }

}
