package dev.firebreak.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import dev.firebreak.alert.AlertmanagerWebhook;
import dev.firebreak.approval.ApprovalPolicyCheck;
import dev.firebreak.web.Readiness;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.chat.console.ConsoleAdapter;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.chat.slack.SlackManifest;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.config.InvalidConfiguration;
import dev.firebreak.people.Person;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** The {@code firebreak} command line: console, demo, run, check, manifest, audit verify. */
@Command(name = "firebreak", mixinStandardHelpOptions = true, version = "firebreak 0.1.0",
        description = "Incident response from chat for OP Stack rollups, contracts and sequencers.",
        subcommands = {Main.Console.class, Main.Demo.class, Main.Run.class, Main.Check.class, Main.Manifest.class, Main.Audit.class})
public final class Main implements Runnable {

    static final String DEFAULT_DB = "jdbc:sqlite:data/firebreak.db";
    /** How long the console waits for the actions a line set off before it reads the next line; longer ones post when done. */
    public static final Duration CONSOLE_WAITS_FOR_ACTIONS = Duration.ofSeconds(10);
    /** The demo's store; its chain and its sequencer database live beside it. */
    static final Path DEMO_STORE = Path.of("data", "demo", "firebreak.db");

    @Option(names = "--config", description = "Folder holding bot/, commands/, runbooks/ and templates/ (default: current folder)")
    Path configRoot = Path.of(".");

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static String databaseUrl() {
        return Optional.ofNullable(System.getenv("FIREBREAK_DB_URL")).filter(s -> !s.isBlank()).orElse(DEFAULT_DB);
    }

    /**
     * The configuration under {@code root} after {@link ConfigurationCheck}, which every command runs
     * before it starts anything; empty when a critical problem stops start-up. Problems and
     * warnings go to stderr.
     */
    static Optional<FirebreakConfig> checked(Path root, Map<String, String> env, UnaryOperator<FirebreakConfig> adjust) {
        ConfigurationCheck.Report report = ConfigurationCheck.run(root, env, adjust);
        if (!report.criticals().isEmpty() || !report.warnings().isEmpty()) print(report, root, System.err);
        if (!report.passed()) {
            System.err.println("Firebreak will not start until the critical problems are fixed (./firebreak check lists them).");
            return Optional.empty();
        }
        if (!report.unreachable().isEmpty()) printUnreachable(report, System.err);
        return Optional.of(report.config());
    }

    /** A header line, then the critical problems, then the warnings, one a line: file:line (place): what. Fix: how. */
    static void print(ConfigurationCheck.Report report, Path root, PrintStream out) {
        out.println("Configuration in " + root.toAbsolutePath().normalize() + ": " + count(report.criticals().size(), "critical problem")
                + ", " + count(report.warnings().size(), "warning"));
        if (!report.criticals().isEmpty()) {
            out.println("Critical (Firebreak does not start until these are fixed):");
            for (ConfigProblem p : report.criticals()) out.println("  " + p);
        }
        if (!report.warnings().isEmpty()) {
            out.println("Warnings (Firebreak starts; worth fixing):");
            for (ConfigProblem p : report.warnings()) out.println("  " + p);
        }
    }

    static void printUnreachable(ConfigurationCheck.Report report, PrintStream out) {
        out.println(report.unreachable().size() + " target(s) cannot be reached exactly as configured; "
                + "Firebreak would start, but refuse every call to them:");
        for (ConfigProblem p : report.unreachable()) out.println("  " + p);
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Prints every configuration problem, one a line, to stderr. */
    static void report(InvalidConfiguration e) {
        System.err.println("The configuration cannot be read: " + count(e.problems().size(), "problem") + ":");
        for (ConfigProblem p : e.problems()) System.err.println("  " + p);
    }

    @Command(name = "console", description = "Chat with Firebreak in this terminal (reads stdin line by line; a pipe works).")
    static final class Console implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @Override
        public Integer call() {
            FirebreakConfig config = checked(main.configRoot, System.getenv(), UnaryOperator.identity()).orElse(null);
            if (config == null) return 2;
            return console(config, databaseUrl(), "");
        }
    }

    @Command(name = "demo", description = "Start a local chain (anvil), Kubernetes API, sequencer and its database, "
            + "and open the console on them: every runbook runs against real peers. Incidents, approvals and the chain "
            + "are kept in data/demo/ from one run to the next.")
    static final class Demo implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @Option(names = "--fresh", description = "Forget the demo's incidents, approvals and chain, and start over")
        boolean fresh;

        @Override
        public Integer call() {
            Optional<DemoLauncher> demo = ServiceLoader.load(DemoLauncher.class).findFirst();
            if (demo.isEmpty()) {
                System.err.println("The demo is not part of this build (the production jar carries no demo peers): "
                        + "run ./firebreak demo in a checkout of Firebreak.");
                return 1;
            }
            return demo.get().run(main.configRoot, fresh);
        }
    }

    /**
     * Runs the console on {@code config} and the store at {@code databaseUrl} until the input ends;
     * with {@code FIREBREAK_HTTP_PORT} set, the operations server (and its alert webhook) runs beside it.
     */
    static int console(FirebreakConfig config, String databaseUrl, String banner) {
        return console(config, databaseUrl, banner, Firebreak.Extension.NONE);
    }

    /** As {@link #console(FirebreakConfig, String, String)}, with a build's own commands (the demo's). */
    static int console(FirebreakConfig config, String databaseUrl, String banner, Firebreak.Extension extension) {
        Map<String, String> environment = System.getenv();
        boolean serve = !environment.getOrDefault("FIREBREAK_HTTP_PORT", "").isBlank();
        int port;
        try {
            port = OperationsServer.portFrom(environment);
        } catch (dev.firebreak.kernel.InvalidInput e) {
            System.err.println("Firebreak will not start: " + e.getMessage());
            return 2;
        }
        try (Database db = Database.open(databaseUrl)) {
            long delivered = new JdbcOutboxStore(db).countDelivered("console");
            ConsolePlatform platform = new ConsolePlatform(System.out, delivered);
            Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry(), extension);
            String defaultUser = config.people().stream().map(Person::ids).map(ids -> ids.get("console"))
                    .filter(id -> id != null).findFirst().orElse("console");
            boolean interactive = System.console() != null;
            if (!banner.isEmpty()) System.err.print(banner);
            if (interactive) {
                System.out.println("Firebreak console. Type /help. Lines are [USER[ #CHANNEL]> ]TEXT, e.g. alice> /incident declare P1 RPC latency high");
            }
            try (firebreak; OperationsServer server = serve ? new OperationsServer(port, () -> new Readiness(Map.of("store", db.reachable())),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), firebreak.webhooks(environment), firebreak.pages()) : null) {
                if (server != null) {
                    server.start();
                    System.err.println("Operations server on port " + server.port() + ": POST " + AlertmanagerWebhook.PATH
                            + " takes Alertmanager notifications; GET /status is the public status page.");
                }
                firebreak.start(Duration.ofSeconds(15));
                new ConsoleAdapter(platform, System.in, System.out, config.channels().incidents(), defaultUser,
                        firebreak.afterEachLine(CONSOLE_WAITS_FOR_ACTIONS), !interactive).start(firebreak.engine());
            }
            return 0;
        }
    }

    @Command(name = "run", description = "Connect to every chat platform whose credentials are set and serve until stopped.")
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @Override
        public Integer call() throws InterruptedException {
            FirebreakConfig config = checked(main.configRoot, System.getenv(), UnaryOperator.identity()).orElse(null);
            if (config == null) return 2;
            Duration grace;
            try {
                grace = shutdownGrace(System.getenv());
            } catch (IllegalArgumentException e) {
                System.err.println("Firebreak will not start: " + e.getMessage());
                return 2;
            }
            Shutdown shutdown = new Shutdown(grace);
            try (Database db = Database.open(databaseUrl())) {
                Bot bot;
                try {
                    bot = Bot.start(config, db, System.getenv(), Clock.systemUTC(), Duration.ofSeconds(15));
                } catch (Bot.NotStarted e) {
                    System.err.println("Firebreak will not start: " + e.getMessage());
                    return 2;
                }
                try (bot) {
                    System.err.println("Firebreak is running on " + String.join(" and ", bot.platforms())
                            + "; operations endpoints on port " + bot.httpPort() + " (/health, /ready, /metrics). Stop with Ctrl-C.");
                    shutdown.await();
                }
                return 0;
            } finally {
                shutdown.finished();
            }
        }
    }

    /** Default under Kubernetes' 30 s terminationGracePeriodSeconds, so the pod exits before it is killed. */
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(25);

    /** {@code FIREBREAK_SHUTDOWN_GRACE} (e.g. {@code 25s}): how long a SIGTERM may take to drain. */
    static Duration shutdownGrace(Map<String, String> environment) {
        String text = environment.get("FIREBREAK_SHUTDOWN_GRACE");
        if (text == null || text.isBlank()) return DEFAULT_SHUTDOWN_GRACE;
        try {
            Duration grace = dev.firebreak.kernel.Durations.parse(text);
            if (grace.isZero()) throw new IllegalArgumentException("'" + text + "' is no time at all");
            return grace;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("FIREBREAK_SHUTDOWN_GRACE: " + e.getMessage()
                    + ". Set it below the platform's grace period (Kubernetes: 30s), e.g. FIREBREAK_SHUTDOWN_GRACE=25s");
        }
    }

    /**
     * SIGINT or SIGTERM, seen from the main thread: {@link #await} returns when one arrives, and the
     * JVM waits (up to the grace period) for {@link #finished} so the caller's cleanup (stop taking
     * chat input, flush the outbox, release the leadership) runs before it exits.
     */
    static final class Shutdown {
        private final CountDownLatch requested = new CountDownLatch(1);
        private final CountDownLatch finished = new CountDownLatch(1);

        Shutdown(Duration grace) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                requested.countDown();
                try {
                    finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "firebreak-shutdown"));
        }

        void await() throws InterruptedException {
            requested.await();
        }

        void finished() {
            finished.countDown();
        }
    }

    @Command(name = "check", description = "Validate all configuration as console, demo and run do before they start; "
            + "print every critical problem and warning, and exit (0 when nothing critical).")
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @Option(names = "--require-targets", description = "Also fail when a configured target (a cluster) cannot be "
                + "reached exactly as configured from this machine, as where the bot runs (for a pre-deploy check)")
        boolean requireTargets;

        @Override
        public Integer call() {
            ConfigurationCheck.Report report = ConfigurationCheck.run(main.configRoot, System.getenv());
            print(report, main.configRoot, System.out);
            if (!report.passed()) return 1;
            if (!report.unreachable().isEmpty()) {
                printUnreachable(report, System.err);
                if (requireTargets) return 1;
            }
            FirebreakConfig config = report.config();
            System.out.println("Configuration OK: " + config.people().size() + " people, " + config.severities().size()
                    + " severities, " + config.policies().size() + " approval policies, " + config.commands().all().size()
                    + " commands, " + config.runbooks().size() + " runbooks, " + config.templates().names().size() + " templates"
                    + (report.warnings().isEmpty() ? "." : "; see the warnings above."));
            return 0;
        }
    }

    @Command(name = "manifest", description = "Platform manifests generated from commands/.", subcommands = {Manifest.Slack.class})
    static final class Manifest implements Runnable {
        @CommandLine.ParentCommand
        Main main;

        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }

        @Command(name = "slack", description = "Print the Slack app manifest's slash_commands section for commands/ "
                + "(paste it under features: in " + SlackManifest.FILE + "), or write it there with --write.")
        static final class Slack implements Callable<Integer> {
            @CommandLine.ParentCommand
            Manifest manifest;

            @Option(names = "--write", description = "Replace the slash_commands section of " + SlackManifest.FILE + " in place")
            boolean write;

            @Override
            public Integer call() throws IOException {
                FirebreakConfig config;
                try {
                    config = new ConfigLoader(manifest.main.configRoot, System.getenv()).load();
                } catch (InvalidConfiguration e) {
                    report(e);
                    return 2;
                }
                var catalog = CommandCatalogs.of(config.commands());
                if (!write) {
                    System.out.print(SlackManifest.slashCommands(catalog));
                    return 0;
                }
                Path file = manifest.main.configRoot.resolve(SlackManifest.FILE);
                try {
                    Files.writeString(file, SlackManifest.withSlashCommands(Files.readString(file), catalog));
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    return 1;
                }
                System.out.println("Wrote the slash commands of " + catalog.names().size() + " commands to " + SlackManifest.FILE
                        + "; update the Slack app from it (App Manifest in the app's settings).");
                return 0;
            }
        }
    }

    @Command(name = "audit", description = "Audit log tools.", subcommands = {Audit.Verify.class})
    static final class Audit implements Runnable {
        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }

        @Command(name = "verify", description = "Check the audit log's hash chain; reports the first tampered row, and with "
                + "--expect-head whether entries were removed from its end.")
        static final class Verify implements Callable<Integer> {
            @Option(names = "--demo", description = "Check the demo's store (data/demo/firebreak.db) instead of FIREBREAK_DB_URL's")
            boolean demo;

            @Option(names = "--expect-head", paramLabel = "HASH", description = "The hash of an entry the log must still "
                    + "contain: the audit log head Firebreak posted in the incidents channel when an incident was resolved.")
            String expectedHead;

            @Override
            public Integer call() {
                if (expectedHead != null && !expectedHead.strip().matches("[0-9a-fA-F]{64}")) {
                    System.err.println("--expect-head must be the 64 hex digits of an audit entry's hash, as posted at an incident's close.");
                    return 2;
                }
                String url = demo ? "jdbc:sqlite:" + DEMO_STORE : databaseUrl();
                Optional<Path> file = Database.sqliteFile(url);
                if (file.isPresent() && !Files.exists(file.get())) {
                    System.err.println("There is no store at " + file.get() + " to check: " + (demo
                            ? "run ./firebreak demo first."
                            : "set FIREBREAK_DB_URL to the store the bot uses, or add --demo to check the demo's."));
                    return 1;
                }
                try (Database db = Database.open(url)) {
                    JdbcAuditLog log = new JdbcAuditLog(db, Clock.systemUTC());
                    String store = file.map(Path::toString).orElseGet(() -> Database.redact(url));
                    Optional<String> tampered = expectedHead == null ? log.firstTampered() : log.missingHead(expectedHead);
                    if (tampered.isPresent()) {
                        System.out.println("Audit log of " + store + " TAMPERED: " + tampered.get());
                        return 1;
                    }
                    System.out.println("Audit log of " + store + " intact: " + log.entries().size() + " entries, hash chain verified"
                            + (expectedHead == null ? " (without --expect-head, entries removed from its end would not show)."
                            : ", and it still holds the expected head " + expectedHead.strip().toLowerCase(java.util.Locale.ROOT) + "."));
                    return 0;
                }
            }
        }
    }
}
