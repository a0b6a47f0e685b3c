package dev.firebreak.bench;

import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SignedSlashCommands;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.testing.Eventually;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Delivery under Slack's latency and rate limits, with the real engine started as
 * {@code ./firebreak run} starts it ({@link BenchFirebreak}, Slack in HTTP mode) against a
 * {@link FakeSlackServer} that answers every Web API call after 100 ms and limits
 * chat.postMessage per channel to a burst of 3, then 1 a second (HTTP 429 with Retry-After, as
 * Slack does). Two runs:
 * <ol>
 *   <li>20 P0 declarations sent at once: the delay from each declaration to its kickoff at the
 *       stand-in (p50/p99/max), and how long the 20 announcements in #incidents took;</li>
 *   <li>a 1,000-event timeline: every page of {@code /incident timeline} asked for at once in the
 *       incident channel, and the time until the last part was delivered.</li>
 * </ol>
 * Then it checks at the stand-in that every part the outbox delivered was posted exactly once
 * (each post carries its outbox key in its metadata), and prints the totals. Exits 1 when a part
 * was lost or doubled. A measurement, not a test:
 * <pre>
 * ./mvnw -q -B -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.firebreak.bench.DeliveryBench [-Dexec.args=postgresql]
 * </pre>
 */
public final class DeliveryBench {

    static final int DECLARES = 20;
    static final int TIMELINE_EVENTS = 1_000;
    static final String SIGNING_SECRET = "delivery-bench-signing-secret";
    /** How the store writes a time (fixed-width, so it sorts as text). */
    private static final DateTimeFormatter STORED_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        String kind = BenchFirebreak.storeKind(args, 0);
        boolean exact;
        try (FakeSlackServer slack = FakeSlackServer.start()) {
            slack.addChannel("C0INCIDENTS", "incidents");
            slack.addChannel("C0ALERTS", "ops-alerts");
            slack.latency(Duration.ofMillis(100));
            slack.limitPostsPerChannel(3, Duration.ofSeconds(1), Clock.systemUTC());
            Map<String, Integer> postsByKey = new ConcurrentHashMap<>();
            Map<String, List<Posted>> postsByChannel = new ConcurrentHashMap<>();
            slack.watchPosts((channel, post) -> {
                long at = System.nanoTime();
                String key = post.path("metadata").path("event_payload").path("outbox_key").asText("");
                if (!key.isEmpty()) postsByKey.merge(key, 1, Integer::sum);
                postsByChannel.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(new Posted(at, post.path("text").asText()));
            });
            try (BenchFirebreak firebreak = BenchFirebreak.start(kind, Map.of("SLACK_BOT_TOKEN", "xoxb-delivery-bench",
                    "SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_API_URL", slack.apiUrl()))) {
                SignedSlashCommands commands = new SignedSlashCommands(slack, firebreak.httpPort(), SIGNING_SECRET);
                String alice = firebreak.idOf("alice", "slack");

                // 1. twenty P0 declarations at once
                long[] sentAt = new long[DECLARES];
                CountDownLatch go = new CountDownLatch(1);
                // the figures depend on what else the machine runs: said with them
                double loadWhenSent = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                long declaring = System.nanoTime();
                try (ExecutorService people = Executors.newFixedThreadPool(DECLARES)) {
                    for (int i = 0; i < DECLARES; i++) {
                        int n = i;
                        people.submit(() -> {
                            go.await();
                            sentAt[n] = System.nanoTime();
                            return commands.send(alice, "C0INCIDENTS", "/incident", "declare P0 --new Bench outage " + (n + 1), "declare." + n);
                        });
                    }
                    go.countDown();
                }
                long[] kickoffDelay = new long[DECLARES];
                for (int i = 0; i < DECLARES; i++) {
                    String name = today() + "-bench-outage-" + (i + 1);
                    Eventually.until(() -> slack.channelNamed(name).map(id -> firstPost(postsByChannel, id, "Declared by") != null)
                            .orElse(false), Duration.ofMinutes(2), "for the kickoff in #" + name);
                    kickoffDelay[i] = firstPost(postsByChannel, slack.channelNamed(name).orElseThrow(), "Declared by").at() - sentAt[i];
                }
                Eventually.until(() -> posts(postsByChannel, "C0INCIDENTS", "declared by") >= DECLARES, Duration.ofMinutes(2),
                        "for the 20 announcements");
                long announced = postsByChannel.get("C0INCIDENTS").stream().filter(p -> p.text().contains("declared by"))
                        .mapToLong(Posted::at).max().orElseThrow() - declaring;
                awaitDrained(firebreak);
                long declaresDrained = System.nanoTime() - declaring;
                Percentiles kickoffs = Percentiles.of(kickoffDelay);
                System.out.printf("20 P0 declarations at once, Slack at 100 ms a call and 1 post/s per channel (burst 3), real engine on %s "
                        + "(machine load %.1f on %d CPUs when they were sent)%n", kind, loadWhenSent, Runtime.getRuntime().availableProcessors());
                System.out.printf("  declaration to kickoff: %s; %d of %d within 1 s%n", kickoffs.summary(),
                        java.util.Arrays.stream(kickoffDelay).filter(d -> d <= 1_000_000_000L).count(), DECLARES);
                System.out.printf("  the 20 announcements in #incidents out after %.1f s; everything queued (snapshots, on-call "
                        + "mentions, announcements) delivered after %.1f s%n", announced / 1e9, declaresDrained / 1e9);

                // 2. a 1,000-event timeline, every page asked for at once
                String channel = slack.channelNamed(today() + "-bench-outage-1").orElseThrow();
                long incident = firebreak.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT number FROM incidents WHERE channel_id = :c").bind("c", channel).mapTo(Long.class).one());
                appendEvents(firebreak, incident, TIMELINE_EVENTS);
                int events = firebreak.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM timeline_events WHERE incident_number = :n").bind("n", incident).mapTo(Integer.class).one());
                // as many events a page as fit one post: the first page says how many pages there are
                int postedBefore = postsByChannel.get(channel).size();
                long asking = System.nanoTime();
                commands.send(alice, channel, "/incident", "timeline 1", "timeline.1");
                Eventually.until(() -> firstPost(postsByChannel, channel, "Timeline of") != null, Duration.ofMinutes(2),
                        "for the timeline's first page");
                java.util.regex.Matcher first = java.util.regex.Pattern.compile("Page 1 of (\\d+) \\(events 1-(\\d+) of")
                        .matcher(firstPost(postsByChannel, channel, "Timeline of").text());
                if (!first.find()) throw new IllegalStateException("the timeline's first page names no page count");
                int pages = Integer.parseInt(first.group(1));
                int perPage = Integer.parseInt(first.group(2));
                for (int page = 2; page <= pages; page++) {
                    commands.send(alice, channel, "/incident", "timeline " + page, "timeline." + page);
                }
                Eventually.until(() -> posts(postsByChannel, channel, "Timeline of") >= pages, Duration.ofMinutes(10),
                        "for every page of the timeline");
                awaitDrained(firebreak);
                long timelineDone = System.nanoTime() - asking;
                int timelinePosts = postsByChannel.get(channel).size() - postedBefore;
                Set<String> pagesSeen = new HashSet<>();
                for (Posted p : postsByChannel.get(channel)) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Page (\\d+) of " + pages).matcher(p.text());
                    if (p.text().contains("Timeline of") && m.find()) pagesSeen.add(m.group(1));
                }
                System.out.printf("a %,d-event timeline (%d pages of %d), every page asked for at once in its channel%n", events, pages, perPage);
                System.out.printf("  %d posts, %d distinct pages, the last delivered after %.1f s (the channel's limit allows %.1f s at best)%n",
                        timelinePosts, pagesSeen.size(), timelineDone / 1e9, Math.max(0, pages - 3) * 1.0);

                // exactly once: every part the store says was delivered is at the stand-in once, and nothing else is
                Set<String> delivered = new HashSet<>(firebreak.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT 'fb' || p.outbox_id || '.' || p.part FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id "
                                + "WHERE o.platform = 'slack' AND p.delivered_at IS NOT NULL").mapTo(String.class).list()));
                long doubled = postsByKey.values().stream().filter(count -> count > 1).count();
                Set<String> missing = new HashSet<>(delivered);
                missing.removeAll(postsByKey.keySet());
                Set<String> unknown = new HashSet<>(postsByKey.keySet());
                unknown.removeAll(delivered);
                long pending = firebreak.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM outbox WHERE state <> 'DELIVERED'").mapTo(Long.class).one());
                int refused = slack.calls("chat.postMessage").size() - postsByKey.values().stream().mapToInt(Integer::intValue).sum();
                System.out.printf("exactly once: %d parts delivered per the store, %d posts at the stand-in, %d posted twice, "
                        + "%d missing, %d not from the outbox, %d not delivered; %d attempts refused with 429%n",
                        delivered.size(), postsByKey.values().stream().mapToInt(Integer::intValue).sum(), doubled, missing.size(),
                        unknown.size(), pending, refused);
                exact = doubled == 0 && missing.isEmpty() && unknown.isEmpty() && pending == 0;
            }
        }
        if (!exact) System.exit(1);
    }

    record Posted(long at, String text) {}

    private static Posted firstPost(Map<String, List<Posted>> byChannel, String channel, String containing) {
        return byChannel.getOrDefault(channel, List.of()).stream().filter(p -> p.text().contains(containing)).findFirst().orElse(null);
    }

    private static long posts(Map<String, List<Posted>> byChannel, String channel, String containing) {
        return byChannel.getOrDefault(channel, List.of()).stream().filter(p -> p.text().contains(containing)).count();
    }

    private static void awaitDrained(BenchFirebreak firebreak) {
        Eventually.until(() -> firebreak.database().jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM outbox WHERE state = 'PENDING'").mapTo(Long.class).one()) == 0,
                Duration.ofMinutes(10), "for the outbox to deliver everything");
    }

    /** Events written as the timeline keeps them, so the pages have something to show. */
    private static void appendEvents(BenchFirebreak firebreak, long incident, int count) {
        Instant t0 = Instant.now();
        firebreak.database().jdbi().useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO timeline_events (incident_number, at, actor, kind, source, text, details) "
                    + "VALUES (:n, :at, 'bob', :kind, :source, :text, NULL)");
            for (int i = 0; i < count; i++) {
                batch.bind("n", incident).bind("at", STORED_TIME.format(t0.plusMillis(i)))
                        .bind("kind", TimelineEvent.Type.NOTE.stored()).bind("source", TimelineEvent.Source.PERSON.stored())
                        .bind("text", "note " + i + ": failover to the backup RPC provider, checking the heads again").add();
            }
            batch.execute();
        });
    }

    private static String today() {
        return "inc-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    private DeliveryBench() {}
}
