package dev.firebreak.app;

import dev.firebreak.kernel.ConfigProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one validation pass, on the repository's configuration and on broken copies of it: each
 * folder under {@code src/test/resources/invalid-config/} overlays its files on a copy of
 * {@code bot/}, {@code commands/}, {@code runbooks/} and {@code templates/} (and takes away the files
 * its {@code remove.txt} lists), and its {@code expected.txt} lists exactly the problems the pass must
 * report, criticals then warnings.
 */
class ConfigurationCheckTest {

    static final Path CASES = Path.of("src/test/resources/invalid-config");
    static final String EXPECTED = "expected.txt";
    /** Files of the real configuration a case takes away, one a line. */
    static final String REMOVE = "remove.txt";

    @TempDir
    Path root;

    /** A copy of the repository's configuration folders under {@code target}. */
    static void copyRepositoryConfiguration(Path target) throws IOException {
        for (String folder : List.of("bot", "commands", "runbooks", "templates")) copy(Path.of(folder), target.resolve(folder));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) Files.createDirectories(target);
                else Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static List<String> lines(ConfigurationCheck.Report report) {
        List<String> lines = new ArrayList<>();
        report.criticals().forEach(p -> lines.add("critical " + p));
        report.warnings().forEach(p -> lines.add("warning " + p));
        return lines;
    }

    @Test
    void the_repository_configuration_passes_without_a_problem_or_a_warning() throws IOException {
        copyRepositoryConfiguration(root);
        ConfigurationCheck.Report report = ConfigurationCheck.run(root, Map.of());
        assertThat(lines(report)).isEmpty();
        assertThat(report.passed()).isTrue();
        assertThat(report.config().runbooks()).isNotEmpty();
    }

    static Stream<String> cases() throws IOException {
        try (Stream<Path> folders = Files.list(CASES)) {
            return folders.filter(Files::isDirectory).map(f -> f.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void each_invalid_configuration_reports_exactly_its_problem(String name) throws IOException {
        Path fixture = CASES.resolve(name);
        copyRepositoryConfiguration(root);
        copy(fixture, root);
        Files.delete(root.resolve(EXPECTED));
        if (Files.exists(root.resolve(REMOVE))) {
            for (String file : Files.readAllLines(root.resolve(REMOVE))) if (!file.isBlank()) Files.delete(root.resolve(file.strip()));
            Files.delete(root.resolve(REMOVE));
        }
        List<String> expected = Files.readAllLines(fixture.resolve(EXPECTED)).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        ConfigurationCheck.Report report = ConfigurationCheck.run(root, Map.of());
        assertThat(lines(report)).as(name).containsExactlyElementsOf(expected);
        assertThat(report.passed()).as(name + " passes only when nothing is critical").isEqualTo(
                expected.stream().noneMatch(line -> line.startsWith("critical ")));
    }

    @Test
    void every_problem_is_reported_at_once_with_file_line_and_fix() throws IOException {
        copyRepositoryConfiguration(root);
        replace("bot/firebreak.yaml", "    roles: [responder, approver]\n    ids: {console: bob",
                "    rols: [responder, approver]\n    ids: {console: bob");
        replace("bot/firebreak.yaml", "roles: [commander, responder]", "roles: [commander, responder, janitor]");
        replace("bot/services.yaml", "token: ${SEQUENCER_API_TOKEN:-}", "token: hunter2-literal");
        replace("bot/services.yaml", "${SEQUENCER_URL:-http://127.0.0.1:8080}", "${SEQUENCER_URL}");
        replace("bot/approvals.yaml", "expiresAfter: 30m", "expiresAfter: half an hour");
        replace("runbooks/first-response.yaml", "      - run: /diag health sequencer\n", "      - run: /diag helth sequencer\n");

        List<String> problems = ConfigurationCheck.run(root, Map.of()).criticals().stream().map(ConfigProblem::toString).toList();
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith("bot/firebreak.yaml:20:").contains("unknown key 'rols'").contains("use one of: ids, name, roles"))
                .anySatisfy(p -> assertThat(p).startsWith("bot/firebreak.yaml:16 (people.alice.roles): unknown role janitor"))
                .anySatisfy(p -> assertThat(p).startsWith("bot/services.yaml:").contains("a secret is written into the configuration")
                        .doesNotContain("hunter2"))
                .anySatisfy(p -> assertThat(p).contains("environment variable SEQUENCER_URL is not set").contains("${SEQUENCER_URL:-value}"))
                .anySatisfy(p -> assertThat(p).startsWith("bot/approvals.yaml:").contains("'half an hour' is not a duration"))
                .anySatisfy(p -> assertThat(p).startsWith("runbooks/first-response.yaml:10 (runbooks[0].steps[2].run): ")
                        .contains("Unknown subcommand /diag helth").contains("Fix: use one of /diag block,").contains(" health, metrics"));
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
    }

    private void replace(String file, String from, String to) throws IOException {
        Path path = root.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }
}
