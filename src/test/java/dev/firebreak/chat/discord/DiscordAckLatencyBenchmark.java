package dev.firebreak.chat.discord;

import dev.firebreak.app.CommandCatalogs;
import dev.firebreak.bench.BenchFirebreak;
import dev.firebreak.bench.Percentiles;
import dev.firebreak.chat.SlashCommand;
import dev.firebreak.testing.Eventually;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Discord acknowledgement latency with the real engine: Firebreak started as {@code ./firebreak run}
 * starts it ({@link BenchFirebreak}: the repository's configuration, a real store, the real JDA
 * client against {@link FakeDiscord}'s gateway and REST API). From the gateway dispatching
 * INTERACTION_CREATE to the REST API receiving the deferral callback (Discord's acknowledgement),
 * for 1,000 slash commands with 20 in flight, the first {@code /diag health pil}, whose service
 * never answers (its 30 s timeout), the others a mix of what responders type (updates, timeline,
 * list, a health check, help); 3,000 go first unmeasured ({@link BenchFirebreak#WARM_UP_COMMANDS}).
 * Also prints when the engine had answered them all. A measurement, not a test:
 * <pre>
 * ./mvnw -q -B -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.firebreak.chat.discord.DiscordAckLatencyBenchmark [-Dexec.args=postgresql]
 * </pre>
 */
public final class DiscordAckLatencyBenchmark {

    static final int REQUESTS = 1_000;
    static final int CONCURRENCY = 20;
    private static final Pattern CALLBACK = Pattern.compile("interactions/(\\d+)/[^/]+/callback");
    private static final Pattern ANSWER = Pattern.compile("webhooks/[^/]+/token-(\\d+)/messages/@original");

    public static void main(String[] args) throws Exception {
        String kind = BenchFirebreak.storeKind(args, 0);
        FakeDiscord discord = new FakeDiscord();
        try (discord) {
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, Long> ackNanos = new ConcurrentHashMap<>();
            Map<String, Boolean> answeredIds = new ConcurrentHashMap<>();
            Semaphore inFlight = new Semaphore(CONCURRENCY);
            discord.watchCalls(call -> {
                Matcher ack = CALLBACK.matcher(call.path());
                if (call.method().equals("POST") && ack.matches()) {
                    Long sent = sentAt.get(ack.group(1));
                    if (sent != null && ackNanos.putIfAbsent(ack.group(1), System.nanoTime() - sent) == null) inFlight.release();
                }
                Matcher answer = ANSWER.matcher(call.path());
                if (answer.matches() && sentAt.containsKey(answer.group(1))) answeredIds.put(answer.group(1), true);
            });
            try (BenchFirebreak firebreak = startOn(kind, discord)) {
                Map<String, SlashCommand> specs = new LinkedHashMap<>();
                CommandCatalogs.of(firebreak.config().commands()).commands().forEach(spec -> specs.put(spec.name(), spec));
                String alice = firebreak.idOf("alice", "discord");
                send(discord, specs, alice, FakeDiscord.INCIDENTS_CHANNEL_ID, "/incident declare P1 Benchmark sequencer stalled", sentAt);
                String name = "inc-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                        .format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + "-benchmark-sequencer-stalled";
                Eventually.until(() -> discord.channelNamed(name, 0) != null, Duration.ofSeconds(30), "for the incident channel");
                String channel = String.valueOf(discord.channelNamed(name, 0).get("id"));

                long warmUpStarted = System.nanoTime();
                List<String> warmUp = run(discord, specs, alice, channel, BenchFirebreak.WARM_UP_COMMANDS, false, sentAt, inFlight);
                Eventually.until(() -> warmUp.stream().allMatch(answeredIds::containsKey), Duration.ofMinutes(5), "for the warm-up answers");
                double warmUpSeconds = (System.nanoTime() - warmUpStarted) / 1e9;
                long started = System.nanoTime();
                List<String> measured = run(discord, specs, alice, channel, REQUESTS, true, sentAt, inFlight);
                Eventually.until(() -> measured.stream().allMatch(ackNanos::containsKey), Duration.ofMinutes(2), "for every ack");
                double allSent = (System.nanoTime() - started) / 1e9;
                long answeredBySent = measured.stream().filter(answeredIds::containsKey).count();
                Eventually.until(() -> measured.stream().allMatch(answeredIds::containsKey), Duration.ofMinutes(5),
                        "for the engine to answer every command");
                double allAnswered = (System.nanoTime() - started) / 1e9;
                Percentiles acks = Percentiles.of(measured.stream().map(ackNanos::get).toList());
                System.out.printf("Discord acknowledgement latency, real engine on %s: %d interactions, %d in flight, the first (%s) "
                        + "hanging for its 30 s timeout%n", kind, REQUESTS, CONCURRENCY, BenchFirebreak.HUNG_COMMAND);
                System.out.printf("  ack %s   hung command acked in %.1f ms   all acked in %.1f s, %d answered by then, all %d answered after %.1f s%n",
                        acks.summary(), ackNanos.get(measured.getFirst()) / 1e6, allSent, answeredBySent, REQUESTS, allAnswered);
                System.out.printf("  the engine's throughput: the %,d warm-up commands were all answered %.1f s after the first was sent "
                        + "(%.0f a second)%n", warmUp.size(), warmUpSeconds, warmUp.size() / warmUpSeconds);
            }
        }
    }

    private static BenchFirebreak startOn(String kind, FakeDiscord discord) throws java.io.IOException {
        // the people of bot/firebreak.yaml are members of the server, as the adapter checks
        for (String id : List.of("100000000000000001", "100000000000000002", "100000000000000003", "100000000000000004")) {
            discord.addGuildMember(id);
        }
        discord.start();
        return BenchFirebreak.start(kind, discord.environment());
    }

    /** Sends the commands of a run, at most {@code inFlight} unacknowledged at a time; returns their interaction ids. */
    private static List<String> run(FakeDiscord discord, Map<String, SlashCommand> specs, String user, String channel, int count,
                                    boolean hangFirst, Map<String, Long> sentAt, Semaphore inFlight) throws InterruptedException {
        List<String> ids = new java.util.ArrayList<>();
        for (int n = 0; n < count; n++) {
            if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) throw new IllegalStateException("no acknowledgement for 60 s");
            String line = hangFirst && n == 0 ? BenchFirebreak.HUNG_COMMAND : switch (n % 5) {
                case 0 -> "/incident update Benchmark update " + n + ": still looking";
                case 1 -> "/incident list";
                case 2 -> "/incident timeline";
                case 3 -> "/diag health sequencer";
                default -> "/help";
            };
            String where = line.equals("/incident list") ? FakeDiscord.INCIDENTS_CHANNEL_ID : channel;
            ids.add(send(discord, specs, user, where, line, sentAt));
        }
        return ids;
    }

    private static String send(FakeDiscord discord, Map<String, SlashCommand> specs, String user, String channel, String line,
                               Map<String, Long> sentAt) {
        DiscordDriver.Interaction interaction = DiscordDriver.interactionFor(specs, line);
        String id = discord.newId();
        sentAt.put(id, System.nanoTime());
        discord.interaction(id, FakeDiscord.GUILD_ID, user, channel, interaction.command(), interaction.subcommand(),
                interaction.options());
        return id;
    }

    private DiscordAckLatencyBenchmark() {}
}
