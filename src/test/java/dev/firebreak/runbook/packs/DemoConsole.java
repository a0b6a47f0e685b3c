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
import java.util.List;
import java.util.Map;

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

    private DemoConsole(DemoEnvironment demo, FirebreakConfig config, Path directory) {
        this.demo = demo;
        this.config = config;
        this.directory = directory;
    }

    public static DemoConsole start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with these environment variables over the demo's, e.g. another SEQUENCER_DB_URL. */
    public static DemoConsole start(Map<String, String> overrides) {
        try {
            Path directory = Files.createTempDirectory("firebreak-demo-console");
            DemoEnvironment demo = DemoEnvironment.start(directory, Clock.systemUTC());
            Map<String, String> env = new java.util.HashMap<>(demo.env(Map.of()));
            env.putAll(overrides);
            FirebreakConfig config = demo.configure(new ConfigLoader(Path.of("."), env).load());
            return new DemoConsole(demo, config, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public DemoEnvironment demo() {
        return demo;
    }

    /**
     * Runs the lines of {@code script} (console syntax: {@code alice> /incident declare ...},
     * {@code bob> react white_check_mark m4}) against the store named {@code store}; sessions with
     * the same store name see each other's incidents, like restarts of one bot.
     */
    public String session(String store, String script) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Database db = Database.open("jdbc:sqlite:" + directory.resolve(store + ".db"))) {
            ConsolePlatform platform = new ConsolePlatform(out, new JdbcOutboxStore(db).countDelivered("console"));
            try (Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                firebreak.start(Duration.ofHours(1));
                new ConsoleAdapter(platform, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out,
                        config.channels().incidents(), "alice", firebreak.afterEachLine(Duration.ofSeconds(30)), true)
                        .start(firebreak.engine());
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The incident channel name Firebreak gives a title declared today, e.g. {@code inc-20261123-l2-blocks-stopped}. */
    public static String incidentChannel(String slug) {
        return "inc-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + slug;
    }

    @Override
    public void close() {
        demo.close();
    }
}
