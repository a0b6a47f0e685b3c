package dev.firebreak.chat.slack;

import dev.firebreak.bench.BenchFirebreak;
import dev.firebreak.bench.Percentiles;
import dev.firebreak.testing.Eventually;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Slack acknowledgement latency with the real engine: Firebreak started as {@code ./firebreak run}
 * starts it ({@link BenchFirebreak}: the repository's configuration, a real store, Slack in HTTP
 * mode on the operations server, the real Bolt app, its Web API pointed at {@link FakeSlackServer}).
 * 1,000 signed slash commands, 20 at a time, the first of them {@code /diag health pil}, whose
 * service never answers (its 30 s timeout); the others a mix of what responders type in an incident
 * channel and in #incidents (updates, timeline, list, a health check, help), each of which writes the
 * store. Latency is from sending the request to its HTTP 200, which is Slack's acknowledgement;
 * 3,000 commands go first unmeasured ({@link BenchFirebreak#WARM_UP_COMMANDS}). Also prints how
 * many commands the engine had answered by the end. A measurement, not a test:
 * <pre>
 * ./mvnw -q -B -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.firebreak.chat.slack.SlackAckLatencyBenchmark [-Dexec.args=postgresql]
 * </pre>
 */
public final class SlackAckLatencyBenchmark {

    static final int REQUESTS = 1_000;
    static final int CONCURRENCY = 20;
    static final String SIGNING_SECRET = "benchmark-signing-secret";

    public static void main(String[] args) throws Exception {
        String kind = BenchFirebreak.storeKind(args, 0);
        try (FakeSlackServer slack = FakeSlackServer.start()) {
            slack.addChannel("C0INCIDENTS", "incidents");
            slack.addChannel("C0ALERTS", "ops-alerts");
            try (BenchFirebreak firebreak = BenchFirebreak.start(kind, Map.of("SLACK_BOT_TOKEN", "xoxb-benchmark",
                    "SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_API_URL", slack.apiUrl()))) {
                Client client = new Client(new SignedSlashCommands(slack, firebreak.httpPort(), SIGNING_SECRET),
                        firebreak.idOf("alice", "slack"));
                client.send("/incident", "declare P1 Benchmark sequencer stalled", "C0INCIDENTS", "declare");
                Eventually.until(() -> slack.channelNamed(IncidentChannel.today("benchmark-sequencer-stalled")).isPresent(),
                        Duration.ofSeconds(30), "for the incident channel");
                String channel = slack.channelNamed(IncidentChannel.today("benchmark-sequencer-stalled")).orElseThrow();

                run(client, channel, "warm-up", BenchFirebreak.WARM_UP_COMMANDS, false);
                Eventually.until(() -> slack.calls("response_url").size() >= BenchFirebreak.WARM_UP_COMMANDS + 1, Duration.ofMinutes(5),
                        "for the engine to answer the warm-up");
                int answeredBefore = slack.calls("response_url").size();
                long started = System.nanoTime();
                Run measured = run(client, channel, "measured", REQUESTS, true);
                int answered = slack.calls("response_url").size() - answeredBefore;
                Eventually.until(() -> slack.calls("response_url").size() - answeredBefore >= REQUESTS, Duration.ofMinutes(5),
                        "for the engine to answer every command");
                double allAnswered = (System.nanoTime() - started) / 1e9;
                System.out.printf("Slack HTTP mode acknowledgement latency, real engine on %s: %d signed commands, %d at a time, "
                        + "the first (%s) hanging for its 30 s timeout%n", kind, REQUESTS, CONCURRENCY, BenchFirebreak.HUNG_COMMAND);
                System.out.printf("  ack %s   non-200 %d   all sent in %.1f s, %d answered by then, all %d answered after %.1f s%n",
                        measured.latencies().summary(), measured.failures(), measured.wallNanos() / 1e9, answered, REQUESTS,
                        allAnswered);
            }
        }
    }

    record Run(Percentiles latencies, int failures, long wallNanos) {}

    /** The commands of a run: the hung one first when asked, then the mix, round-robin. */
    static Run run(Client client, String incidentChannel, String label, int count, boolean hangFirst) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                sent.add(clients.submit(() -> {
                    String[] command = hangFirst && n == 0 ? new String[] {"/diag", "health pil", incidentChannel}
                            : switch (n % 5) {
                                case 0 -> new String[] {"/incident", "update Benchmark update " + n + ": still looking", incidentChannel};
                                case 1 -> new String[] {"/incident", "list", "C0INCIDENTS"};
                                case 2 -> new String[] {"/incident", "timeline", incidentChannel};
                                case 3 -> new String[] {"/diag", "health sequencer", incidentChannel};
                                default -> new String[] {"/help", "", incidentChannel};
                            };
                    long t0 = System.nanoTime();
                    if (client.send(command[0], command[1], command[2], label + "." + n) != 200) failures.incrementAndGet();
                    latencies.add(System.nanoTime() - t0);
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get(5, TimeUnit.MINUTES);
        }
        return new Run(Percentiles.of(latencies), failures.get(), System.nanoTime() - started);
    }

    /** One person's commands. */
    record Client(SignedSlashCommands commands, String userId) {
        int send(String command, String text, String channelId, String trigger) {
            return commands.send(userId, channelId, command, text, trigger);
        }
    }

    /** Today's incident channel name for a title slug, as Firebreak names it. */
    static final class IncidentChannel {
        static String today(String slug) {
            return "inc-" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                    + "-" + slug;
        }
    }
}
