package dev.firebreak.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster that cannot be reached exactly as configured is reported by {@code firebreak check}
 * (exit 1 with {@code --require-targets}) and at start-up (the bot starts and says it once), on this repository's configuration with
 * bot/clusters.yaml varied.
 */
class UnusableClusterReportTest {

    @TempDir
    Path root;

    /**
     * The clusters the rest of the configuration names (watchers, snapshot checks, schedules and
     * runbook steps reach mainnet's op-stack and mainnet-indexer's subsquid), mainnet reached as
     * {@code mainnet} says.
     */
    private static String clusters(String mainnet, String more) {
        return """
                clusters:
                  mainnet:
                %s
                    namespace: op-stack
                    deployments: [op-node, op-geth, reth, op-batcher, op-proposer]
                  mainnet-indexer:
                    apiServer: http://127.0.0.1:1
                    namespace: indexer
                    deployments: [subsquid]
                """.formatted(mainnet.indent(4).stripTrailing()) + more;
    }

    private void copyConfiguration(String clusters) throws IOException {
        for (String folder : List.of("bot", "commands", "runbooks", "templates")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Path target = root.resolve(file.toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, target);
                }
            }
        }
        Files.writeString(root.resolve("bot/clusters.yaml"), clusters);
    }

    private record Run(int exitCode, String stderr) {}

    private Run check(String... options) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new java.util.ArrayList<>(List.of("--config", root.toString(), "check"));
            args.addAll(List.of(options));
            int code = new CommandLine(new Main()).execute(args.toArray(String[]::new));
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(before);
        }
    }

    /** A context no kubeconfig on any machine has, so the answer does not depend on where the test runs. */
    private final String context = "firebreak-test-" + UUID.randomUUID();

    @Test
    void a_cluster_whose_context_cannot_be_resolved_is_reported_by_the_check_and_fails_it_where_targets_are_required() throws IOException {
        copyConfiguration(clusters("context: " + context, """
                  local:
                    apiServer: http://127.0.0.1:1
                    namespace: op-stack
                    deployments: [op-node]
                """));

        Run run = check("--require-targets");
        Run reportOnly = check();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(reportOnly.exitCode()).as("the configuration itself is valid").isZero();
        assertThat(reportOnly.stderr()).contains("1 target(s) cannot be reached exactly as configured");
        assertThat(run.stderr()).contains("1 target(s) cannot be reached exactly as configured")
                .contains("bot/clusters.yaml:clusters.mainnet.context: cluster mainnet is not usable: ")
                .contains("\"" + context + "\"")
                .doesNotContain("clusters.local");
    }

    @Test
    void clusters_reached_by_api_server_pass_the_check() throws IOException {
        copyConfiguration(clusters("apiServer: http://127.0.0.1:1", ""));

        Run run = check();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    /** Everything logged while {@code body} runs, by any logger. */
    private static List<String> logged(Runnable body) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            body.run();
        } finally {
            root.detachAppender(logged);
        }
        return logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static int occurrences(String text, String of) {
        return text.split(java.util.regex.Pattern.quote(of), -1).length - 1;
    }

    @Test
    void the_check_says_each_unreachable_cluster_once() throws IOException {
        copyConfiguration(clusters("context: " + context, """
                  testnet:
                    context: %s-testnet
                    namespace: op-stack
                    deployments: [op-node]
                """.formatted(context)));
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        Run[] run = new Run[1];
        List<String> log;
        try {
            log = logged(() -> run[0] = check());
        } finally {
            System.setOut(before);
        }
        String said = out.toString(StandardCharsets.UTF_8) + run[0].stderr() + String.join("\n", log);

        assertThat(run[0].exitCode()).isZero();
        assertThat(occurrences(said, "cluster mainnet is not usable")).as(said).isEqualTo(1);
        assertThat(occurrences(said, "cluster testnet is not usable")).as(said).isEqualTo(1);
        assertThat(run[0].stderr()).contains("2 target(s) cannot be reached exactly as configured");
    }

    @Test
    void the_bot_starts_with_such_a_cluster_and_says_once_why_every_call_to_it_is_refused() throws IOException {
        copyConfiguration(clusters("context: " + context, ""));
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        List<String> log;
        try {
            // what every start (console, run, demo) goes through, then the engine it starts
            log = logged(() -> {
                assertThat(Main.checked(root, Map.of(), java.util.function.UnaryOperator.identity())).isPresent();
                try (Database db = Database.open("jdbc:sqlite:" + root.resolve("firebreak.db"));
                     Firebreak firebreak = Firebreak.assemble(new ConfigLoader(root, Map.of()).load(), db, Clock.systemUTC(), List.of(),
                             new SimpleMeterRegistry())) {
                    assertThat(firebreak.connectionProblems()).singleElement()
                            .satisfies(p -> assertThat(p.location()).isEqualTo("clusters.mainnet.context"));
                }
            });
        } finally {
            System.setErr(before);
        }
        String said = err.toString(StandardCharsets.UTF_8) + String.join("\n", log);

        assertThat(occurrences(said, "cluster mainnet is not usable")).as(said).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Firebreak would start, but refuse every call to them")
                .contains("bot/clusters.yaml:clusters.mainnet.context: cluster mainnet is not usable: ").contains(context);
    }
}
