package dev.firebreak.runbook.packs;

import dev.firebreak.app.Firebreak;
import dev.firebreak.chat.console.ConsoleAdapter;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.DemoEnvironment;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The console on the demo environment, as {@code ./firebreak demo} runs it: the configuration in
 * this repository pointed at anvil, the mock cluster, the sequencer API and its database. One per
 * test class (the peers take a few seconds to start); {@link #session} runs a script of console
 * lines against one store and returns everything the console printed.
 */
public final class DemoConsole implements AutoCloseable {

    private final DemoEnvironment demo;
    private final FirebreakConfig config;
    private final Path directory;
    private final boolean temporary;

    private DemoConsole(DemoEnvironment demo, FirebreakConfig config, Path directory, boolean temporary) {
        this.demo = demo;
        this.config = config;
        this.directory = directory;
        this.temporary = temporary;
    }

    public static DemoConsole start() {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, with these environment variables over the demo's, e.g. another
     * SEQUENCER_DB_URL. Its stores live in a temporary folder that {@link #close} removes.
     */
    public static DemoConsole start(Map<String, String> overrides) {
        Path directory;
        try {
            directory = Files.createTempDirectory("firebreak-demo-console");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DemoEnvironment demo = DemoEnvironment.start(directory, Clock.systemUTC(), demoEnvironment());
        Map<String, String> env = new java.util.HashMap<>(demo.env(Map.of()));
        env.putAll(overrides);
        return new DemoConsole(demo, demo.configure(new ConfigLoader(Path.of("."), env).load()), directory, true);
    }

    /**
     * The process's environment, with the tests' PostgreSQL (FIREBREAK_TEST_POSTGRES_URL, which
     * {@code .ci/run} sets) as the demo's when FIREBREAK_DEMO_POSTGRES_URL names none: the SQL
     * runbooks then run on PostgreSQL, as the seed's sequencer database is.
     */
    static Map<String, String> demoEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        String tests = env.get(dev.firebreak.store.TestDatabases.POSTGRES_URL_VARIABLE);
        if (tests != null && !tests.isBlank()) env.putIfAbsent(dev.firebreak.demo.sql.DemoPostgres.URL_VARIABLE, tests);
        return env;
    }

    /** The store name of {@link #kept} consoles, as {@code ./firebreak demo} names its store. */
    public static final String KEPT_STORE = "firebreak";

    /**
     * The demo as {@code ./firebreak demo [--fresh]} keeps it in {@code directory}: sessions on the
     * store {@value #KEPT_STORE} carry on from one console to the next, with the chain kept beside it.
     */
    public static DemoConsole kept(Path directory, boolean fresh) {
        DemoEnvironment demo = DemoEnvironment.keptWith(directory.resolve(KEPT_STORE + ".db"), fresh, Clock.systemUTC(),
                demoEnvironment());
        return new DemoConsole(demo, demo.configure(new ConfigLoader(Path.of("."), demo.env(Map.of())).load()), directory, false);
    }

    public DemoEnvironment demo() {
        return demo;
    }

    /** The configuration the console runs on. */
    public FirebreakConfig config() {
        return config;
    }

    /**
     * Runs the lines of {@code script} (console syntax: {@code alice> /incident declare ...},
     * {@code bob> react white_check_mark m4}) against the store named {@code store}; sessions with
     * the same store name see each other's incidents, like restarts of one bot.
     */
    public String session(String store, String script) {
        return session(store, Clock.systemUTC(), false, script);
    }

    /**
     * As {@link #session(String, String)}, on the engine's clock {@code clock} (a test moves it instead
     * of waiting); with {@code tickFirst} the clock-driven jobs run once before the first line, as the
     * demo's ticker runs them every 15 s (the reminder at a timelock operation's ETA, the watchers).
     */
    public String session(String store, Clock clock, boolean tickFirst, String script) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Database db = Database.open("jdbc:sqlite:" + directory.resolve(store + ".db"))) {
            ConsolePlatform platform = new ConsolePlatform(out, new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry(),
                    new Firebreak.Extension(demo.commands(), parts -> demo.wire(parts.approvals(), parts.actions(), parts.probes(), parts.timeline())))) {
                firebreak.start(Duration.ofHours(1));
                if (tickFirst) firebreak.tick();
                new ConsoleAdapter(platform, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out,
                        config.channels().incidents(), "alice", firebreak.afterEachLine(Duration.ofSeconds(30)), true)
                        .start(firebreak.engine());
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The audit log of the store named {@code store}, one entry a line: actor, event, subject, detail. */
    public List<String> audited(String store) {
        try (Database db = Database.open("jdbc:sqlite:" + directory.resolve(store + ".db"))) {
            return new dev.firebreak.store.JdbcAuditLog(db, Clock.systemUTC()).entries().stream()
                    .map(e -> e.actor() + " " + e.event() + " " + e.subject() + " " + e.detail()).toList();
        }
    }

    /** The incident channel name Firebreak gives a title declared today, e.g. {@code inc-20261123-l2-blocks-stopped}. */
    public static String incidentChannel(String slug) {
        return "inc-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + slug;
    }

    @Override
    public void close() {
        demo.close();
        if (temporary) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + directory, e);
            }
        }
    }
}
