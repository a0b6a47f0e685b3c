package dev.firebreak.bench;

import dev.firebreak.app.Firebreak;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Command latency through the console path (engine, store, outbox delivery) and start-up time
 * to ready, on a fresh SQLite store. A measurement, not a test:
 * <pre>./mvnw -q -B test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.firebreak.bench.ConsoleLatencyBench</pre>
 */
public final class ConsoleLatencyBench {

    private static final int WARMUP = 200;
    private static final int MEASURED = 1_000;

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("firebreak-bench");
        long startNanos = System.nanoTime();
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of()).load();
        try (Database db = Database.open("jdbc:sqlite:" + folder.resolve("bench.db"))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(OutputStream.nullOutputStream()), 0);
            try (Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                double startupMs = (System.nanoTime() - startNanos) / 1e6;

                firebreak.engine().onCommand(new Inbound.Command("console", "alice", "incidents",
                        "/incident declare P2 Benchmark incident"));
                firebreak.outbox().deliverDue();
                String channel = "inc-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                        .format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "-benchmark-incident";
                String[] commands = {"/incident update still looking", "/incident timeline", "/help", "/runbook list",
                        "/incident status identified"};
                long[] nanos = new long[MEASURED];
                for (int i = 0; i < WARMUP + MEASURED; i++) {
                    long t = System.nanoTime();
                    firebreak.engine().onCommand(new Inbound.Command("console", "alice", channel, commands[i % commands.length]));
                    firebreak.outbox().deliverDue();
                    if (i >= WARMUP) nanos[i - WARMUP] = System.nanoTime() - t;
                }
                Arrays.sort(nanos);
                System.out.printf("start-up to ready (config, store migration, wiring): %.0f ms%n", startupMs);
                System.out.printf("console command latency over %d commands (after %d warm-up): p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        MEASURED, WARMUP, nanos[MEASURED / 2] / 1e6, nanos[MEASURED * 99 / 100] / 1e6, nanos[MEASURED - 1] / 1e6);
            }
        }
    }
}
