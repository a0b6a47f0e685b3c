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

/** The repository's own configuration loads; broken copies of it report every problem at once. */
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
    void every_problem_is_reported_at_once_with_file_location_and_fix() throws IOException {
        replace("bot/firebreak.yaml", "    roles: [responder, approver]\n    ids: {console: bob",
                "    rols: [responder, approver]\n    ids: {console: bob");
        replace("bot/firebreak.yaml", "roles: [commander, responder]", "roles: [commander, responder, janitor]");
        replace("bot/services.yaml", "token: ${SEQUENCER_API_TOKEN:-}", "token: hunter2-literal");
        replace("bot/services.yaml", "${SEQUENCER_URL:-http://127.0.0.1:8080}", "${SEQUENCER_URL}");
        replace("bot/approvals.yaml", "expiresAfter: 30m", "expiresAfter: half an hour");

        List<ConfigProblem> problems = problems(Map.of());
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                        .startsWith("bot/firebreak.yaml:").contains("unknown key 'rols'").contains("use one of: ids, name, roles"))
                .anySatisfy(p -> assertThat(p).contains("people.alice.roles").contains("unknown role janitor"))
                .anySatisfy(p -> assertThat(p).startsWith("bot/services.yaml:").contains("a secret is written into the configuration")
                        .doesNotContain("hunter2"))
                .anySatisfy(p -> assertThat(p).contains("environment variable SEQUENCER_URL is not set")
                        .contains("${SEQUENCER_URL:-value}"))
                .anySatisfy(p -> assertThat(p).startsWith("bot/approvals.yaml:").contains("'half an hour' is not a duration"));
        assertThat(problems).hasSizeGreaterThanOrEqualTo(5);
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

    @Test
    void a_runbook_step_posting_an_unknown_template_is_caught() throws IOException {
        replace("runbooks/first-response.yaml", "message: status-page-investigating", "message: status-page-investigatin");
        assertThat(problems(Map.of())).extracting(ConfigProblem::toString)
                .anySatisfy(p -> assertThat(p).contains("runbook first-response").contains("unknown template status-page-investigatin"));
    }
}
