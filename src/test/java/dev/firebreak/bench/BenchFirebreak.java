package dev.firebreak.bench;

import dev.firebreak.app.Bot;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.http.DemoSequencerService;
import dev.firebreak.people.People;
import dev.firebreak.store.Database;
import dev.firebreak.store.TestDatabases;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Firebreak as {@code ./firebreak run} starts it ({@link Bot#start}: the repository's configuration,
 * the real engine, store, outbox and chat adapters, the operations server), for the benchmarks that
 * measure it end to end. The sequencer service is a local stand-in; the PIL API
 * ({@code bot/services.yaml}: timeout 30 s) is a server that accepts connections and never answers,
 * so {@code /diag health pil} hangs for its whole timeout. The store is a fresh SQLite file, or a
 * fresh schema of the PostgreSQL at {@code FIREBREAK_TEST_POSTGRES_URL} with {@code postgresql}.
 */
public final class BenchFirebreak implements AutoCloseable {

    /**
     * Commands an acknowledgement benchmark sends unmeasured first: enough for the JIT to have
     * compiled the request path. After 200, the compiler still ran for 1.6 s of the 2 s measured
     * window (JFR's jdk.Compilation) on the same two cores as the requests, and the figures were
     * those of a bot that had just started rather than of one running.
     */
    public static final int WARM_UP_COMMANDS = 3_000;

    /** The command whose probe hangs for its configured timeout. */
    public static final String HUNG_COMMAND = "/diag health pil";

    private final DemoSequencerService sequencer;
    private final HungService hung;
    private final Database database;
    private final Bot bot;
    private final People people;
    private final FirebreakConfig config;

    private BenchFirebreak(DemoSequencerService sequencer, HungService hung, Database database, Bot bot, FirebreakConfig config) {
        this.sequencer = sequencer;
        this.hung = hung;
        this.database = database;
        this.bot = bot;
        this.people = new People(config.people());
        this.config = config;
    }

    /** The configuration it runs on. */
    public FirebreakConfig config() {
        return config;
    }

    /** Starts Firebreak with {@code platformEnvironment} (the chat credentials and stand-in URLs) on a store of {@code kind}. */
    public static BenchFirebreak start(String kind, Map<String, String> platformEnvironment) throws IOException {
        DemoSequencerService sequencer = DemoSequencerService.start("bench-sequencer-token");
        HungService hung = HungService.start();
        Map<String, String> environment = new HashMap<>(platformEnvironment);
        environment.put("SEQUENCER_URL", sequencer.url());
        environment.put("SEQUENCER_API_TOKEN", "bench-sequencer-token");
        environment.put("PIL_API_URL", hung.url());
        environment.put("FIREBREAK_HTTP_PORT", "0");
        try {
            FirebreakConfig config = new ConfigLoader(Path.of("."), environment).load();
            Path folder = Files.createTempDirectory("firebreak-bench");
            Database database = Database.open(TestDatabases.freshUrl(kind, folder));
            Bot bot = Bot.start(config, database, environment, Clock.systemUTC(), Duration.ofSeconds(15));
            return new BenchFirebreak(sequencer, hung, database, bot, config);
        } catch (RuntimeException | IOException e) {
            // The stand-ins' server threads would otherwise keep the JVM (and exec:java) waiting
            // with the reason unprinted, as when PostgreSQL refuses the password.
            hung.close();
            sequencer.close();
            throw e;
        }
    }

    /** The store kind named by the first argument ({@code sqlite}, the default, or {@code postgresql}). */
    public static String storeKind(String[] args, int index) {
        return args.length > index ? args[index] : "sqlite";
    }

    public int httpPort() {
        return bot.httpPort();
    }

    public Database database() {
        return database;
    }

    /** A person's id on a platform, from {@code bot/firebreak.yaml}. */
    public String idOf(String person, String platform) {
        return people.platformId(person, platform).orElseThrow();
    }

    /** How many requests the hung service has taken (and never answered). */
    public int hungRequests() {
        return hung.accepted.size();
    }

    @Override
    public void close() {
        bot.close();
        database.close();
        hung.close();
        sequencer.close();
    }

    /** Accepts connections and reads nothing, answers nothing: a service that hangs. */
    private static final class HungService implements AutoCloseable {
        final ServerSocket server;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        private HungService(ServerSocket server) {
            this.server = server;
        }

        static HungService start() throws IOException {
            HungService service = new HungService(new ServerSocket(0, 100, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().name("hung-service").start(() -> {
                while (!service.server.isClosed()) {
                    try {
                        service.accepted.add(service.server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            return service;
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket socket : accepted) socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
