package dev.firebreak.chat.discord;

import dev.firebreak.chat.RecordingListener;
import dev.firebreak.chat.Reply;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Acknowledgement latency: from the fake gateway sending INTERACTION_CREATE to the fake REST API
 * receiving the deferral callback, for 1,000 slash commands with 20 in flight at a time, while the
 * first command's work hangs for 10 s, after 200 unmeasured warm-up commands. Prints p50, p99 and
 * max; it is a measurement, not a test.
 * Run: {@code ./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt}, then
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.firebreak.chat.discord.DiscordAckLatencyBenchmark [total] [in-flight]}.
 */
public final class DiscordAckLatencyBenchmark {

    private static final Pattern CALLBACK = Pattern.compile("interactions/(\\d+)/[^/]+/callback");

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Duration hang = Duration.ofSeconds(10);

        try (FakeDiscord discord = new FakeDiscord().start()) {
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            long[] latencies = new long[total];
            Map<String, Integer> index = new ConcurrentHashMap<>();
            Semaphore inFlight = new Semaphore(concurrency);
            CountDownLatch acknowledged = new CountDownLatch(total);
            discord.watchCalls(call -> {
                Matcher m = CALLBACK.matcher(call.path());
                if (!call.method().equals("POST") || !m.matches()) return;
                long now = System.nanoTime();
                Long sent = sentAt.get(m.group(1));
                Integer i = index.get(m.group(1));
                if (sent == null || i == null) return;
                latencies[i] = now - sent;
                inFlight.release();
                acknowledged.countDown();
            });

            RecordingListener engine = new RecordingListener();
            CountDownLatch never = new CountDownLatch(1);
            engine.answer = command -> {
                if (command.text().equals("/incident hang")) {
                    try {
                        never.await(hang.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return Reply.privately("ok " + command.text());
            };
            DiscordSettings settings = ((DiscordSettings.Ready) DiscordSettings.fromEnvironment(discord.environment())).settings();
            try (DiscordAdapter adapter = new DiscordAdapter(settings, DiscordAdapterTest.COMMANDS,
                    Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(15))) {
                adapter.start(engine);
                warmUp(discord, 200);
                Instant started = Instant.now();
                for (int i = 0; i < total; i++) {
                    inFlight.acquire();
                    String id = discord.newId();
                    index.put(id, i);
                    sentAt.put(id, System.nanoTime());
                    if (i == 0) {
                        discord.interaction(id, FakeDiscord.GUILD_ID, FakeDiscord.ALICE, FakeDiscord.INCIDENTS_CHANNEL_ID,
                                "incident", "hang", Map.of());
                    } else {
                        discord.interaction(id, FakeDiscord.GUILD_ID, FakeDiscord.BOB, FakeDiscord.INCIDENTS_CHANNEL_ID,
                                "incident", "declare", DiscordAdapterTest.ordered("severity", "P3", "title", "benchmark " + i));
                    }
                }
                if (!acknowledged.await(60, TimeUnit.SECONDS)) {
                    System.out.println("only " + (total - acknowledged.getCount()) + " of " + total + " acknowledged within 60 s");
                }
                Duration elapsed = Duration.between(started, Instant.now());
                long hungAck = latencies[0];
                long[] sorted = latencies.clone();
                Arrays.sort(sorted);
                System.out.printf("Discord acknowledgement latency, %d interactions, %d in flight, first command hangs %d s%n",
                        total, concurrency, hang.toSeconds());
                System.out.printf("  p50 %.1f ms   p99 %.1f ms   max %.1f ms   hung command acked in %.1f ms   wall %d ms%n",
                        ms(sorted[(int) (total * 0.50)]), ms(sorted[Math.min(total - 1, (int) (total * 0.99))]),
                        ms(sorted[total - 1]), ms(hungAck), elapsed.toMillis());
                never.countDown();
            }
        }
    }

    /** Lets the JIT compile the paths first; these interactions are not measured. */
    private static void warmUp(FakeDiscord discord, int count) {
        for (int i = 0; i < count; i++) {
            discord.interaction(FakeDiscord.BOB, FakeDiscord.INCIDENTS_CHANNEL_ID, "incident", "declare",
                    DiscordAdapterTest.ordered("severity", "P3", "title", "warm-up " + i));
        }
        discord.awaitCall("PATCH", "webhooks/.*/messages/@original", c -> c.body().contains("warm-up " + (count - 1)), Duration.ofSeconds(60));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
