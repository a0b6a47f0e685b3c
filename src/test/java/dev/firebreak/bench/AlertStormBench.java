package dev.firebreak.bench;

import dev.firebreak.alert.AlertStore;
import dev.firebreak.alert.AlertmanagerWebhook;
import dev.firebreak.alert.AlertsConfig;
import dev.firebreak.app.Firebreak;
import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.kernel.WebhookResponse;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcAlertStore;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.store.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An alert storm through the Alertmanager webhook into the real engine and store: 10,000
 * notifications over 60 s of injected time in 200 groups, repeats, additions and resolves mixed
 * (each notification carries its group's whole state, as Alertmanager sends it). Reports
 * incidents opened against the groups the rules of {@code bot/alerts.yaml} declare (after their
 * dedupe), messages posted, intake latency and the heap after, and fails when anything was lost
 * or doubled. On SQLite, and on PostgreSQL when {@code FIREBREAK_TEST_POSTGRES_URL} is set.
 * A measurement, not a test:
 * <pre>./mvnw -q -B exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.firebreak.bench.AlertStormBench</pre>
 */
public final class AlertStormBench {

    private static final int NOTIFICATIONS = 10_000;
    private static final int GROUPS = 200;
    private static final int MAX_ALERTS_PER_GROUP = 5;
    private static final Duration STORM = Duration.ofSeconds(60);
    private static final Pattern POSTED = Pattern.compile("^\\[#([^\\]]+)] m\\d+$");

    public static void main(String[] args) throws Exception {
        List<String> kinds = args.length > 0 ? List.of(args) : TestDatabases.kinds();
        boolean ok = true;
        for (String kind : kinds) ok &= storm(kind);
        if (!ok) System.exit(1);
    }

    /** One group as the storm sent it last: its alerts' status by fingerprint, and the labels it shares. */
    private record Group(int index, String key, Map<String, String> labels, Map<String, Boolean> firing) {}

    private static boolean storm(String kind) throws Exception {
        Path folder = Files.createTempDirectory("firebreak-alert-storm");
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of()).load();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
        PostCounter posts = new PostCounter();
        try (Database db = Database.open(TestDatabases.freshUrl(kind, folder))) {
            ConsolePlatform platform = new ConsolePlatform(new PrintStream(posts, true, StandardCharsets.UTF_8), 0);
            try (Firebreak firebreak = Firebreak.assemble(config, db, clock,
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry())) {
                Webhook webhook = firebreak.webhooks(Map.of()).get(AlertmanagerWebhook.PATH);
                List<Group> groups = groups();
                Random random = new Random(12);
                long[] nanos = new long[NOTIFICATIONS];
                int changed = 0;
                int statusChangesOfDeclaringGroups = 0;
                Set<String> declaringRules = config.alerts().rules().stream()
                        .filter(r -> r.actionKind() == AlertsConfig.Action.DECLARE).map(AlertsConfig.Rule::name).collect(Collectors.toSet());
                Duration step = STORM.dividedBy(NOTIFICATIONS);
                for (int i = 0; i < NOTIFICATIONS; i++) {
                    Group group = groups.get(random.nextInt(GROUPS));
                    int changes = evolve(group, random);
                    if (changes > 0) {
                        changed++;
                        if (config.alerts().ruleFor(group.labels()).map(r -> declaringRules.contains(r.name())).orElse(false)) {
                            statusChangesOfDeclaringGroups += changes;
                        }
                    }
                    byte[] body = body(group).getBytes(StandardCharsets.UTF_8);
                    long t = System.nanoTime();
                    WebhookResponse response = webhook.handle(new WebhookRequest(body, Map.of("Content-Type", "application/json")));
                    nanos[i] = System.nanoTime() - t;
                    if (response.status() != 200) throw new IllegalStateException("notification " + i + " answered " + response.status() + ": " + response.body());
                    String expected = changes > 0 ? "recorded" : "unchanged";
                    if (!response.body().equals(expected)) {
                        throw new IllegalStateException("notification " + i + " was " + response.body() + ", expected " + expected);
                    }
                    clock.advance(step);
                    if (i % 100 == 99) firebreak.outbox().deliverDue();
                }
                firebreak.awaitSnapshots(Duration.ofSeconds(60));
                firebreak.outbox().deliverDue();

                List<String> problems = new ArrayList<>();
                AlertStore store = new JdbcAlertStore(db);
                Set<String> dedupeKeys = new HashSet<>();
                for (Group group : groups) {
                    Optional<AlertStore.Group> stored = store.group(group.key());
                    if (group.firing().isEmpty()) {
                        if (stored.isPresent()) problems.add("group " + group.key() + " was never sent but is stored");
                        continue;
                    }
                    Map<String, dev.firebreak.alert.Alert.Status> expected = new HashMap<>();
                    group.firing().forEach((fp, firing) -> expected.put(fp, firing
                            ? dev.firebreak.alert.Alert.Status.FIRING : dev.firebreak.alert.Alert.Status.RESOLVED));
                    if (stored.isEmpty() || !stored.get().alerts().equals(expected)) {
                        problems.add("group " + group.key() + " is stored as " + stored.map(AlertStore.Group::alerts) + ", sent " + expected);
                    }
                    config.alerts().ruleFor(group.labels()).filter(r -> declaringRules.contains(r.name()))
                            .ifPresent(r -> dedupeKeys.add(r.dedupeKey(group.labels())));
                }
                JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
                List<Incident> opened = incidents.all();
                long alertEntries = opened.stream().flatMap(inc -> incidents.timeline(inc.number()).stream())
                        .filter(e -> e.type() == TimelineEvent.Type.ALERT).count();
                int inAlertsChannel = posts.in(config.channels().alerts());
                if (opened.size() != dedupeKeys.size()) {
                    problems.add(opened.size() + " incidents opened, but the rules declare " + dedupeKeys.size());
                }
                if (alertEntries != statusChangesOfDeclaringGroups) {
                    problems.add(alertEntries + " alert entries on incident timelines, " + statusChangesOfDeclaringGroups + " changes sent");
                }
                if (inAlertsChannel != changed) {
                    problems.add(inAlertsChannel + " messages in #" + config.channels().alerts() + ", " + changed + " notifications changed something");
                }
                System.gc();
                long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
                Arrays.sort(nanos);
                System.out.printf("%s: %d notifications over %d s (injected) in %d groups, %d changed something, %d repeats%n",
                        kind, NOTIFICATIONS, STORM.toSeconds(), GROUPS, changed, NOTIFICATIONS - changed);
                System.out.printf("  incidents opened: %d (the rules declare %d after dedupe); alert entries on their timelines: %d%n",
                        opened.size(), dedupeKeys.size(), alertEntries);
                System.out.printf("  messages posted: %d (%d in #%s, one per change)%n", posts.total(), inAlertsChannel,
                        config.channels().alerts());
                System.out.printf("  intake latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms; heap after: %d MB%n",
                        nanos[NOTIFICATIONS / 2] / 1e6, nanos[NOTIFICATIONS * 99 / 100] / 1e6, nanos[NOTIFICATIONS - 1] / 1e6, heapMb);
                System.out.println(problems.isEmpty() ? "  nothing lost, nothing doubled" : "  PROBLEMS: " + String.join("; ", problems));
                return problems.isEmpty();
            }
        }
    }

    /**
     * 200 groups: a quarter critical (the rule {@code critical} declares, deduplicated by alert name
     * and namespace, and the names repeat across groups so dedupe joins some), the others warning,
     * info or of no rule (posted with a declare hint).
     */
    private static List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        String[] severities = {"critical", "warning", "info", "none"};
        for (int i = 0; i < GROUPS; i++) {
            String severity = severities[i % 4];
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", "Storm" + (i % 40));
            labels.put("namespace", "ns" + (i % 3));
            if (!severity.equals("none")) labels.put("severity", severity);
            groups.add(new Group(i, "{}:{group=\"" + i + "\"}", labels, new LinkedHashMap<>()));
        }
        return groups;
    }

    /** Adds an alert, resolves one, or repeats the group as it is; returns how many alerts changed status. */
    private static int evolve(Group group, Random random) {
        int roll = random.nextInt(10);
        List<String> firing = group.firing().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
        if (group.firing().isEmpty() || (roll < 3 && group.firing().size() < MAX_ALERTS_PER_GROUP)) {
            group.firing().put("g" + group.index() + "a" + group.firing().size(), true);
            return 1;
        }
        if (roll < 5 && !firing.isEmpty()) {
            group.firing().put(firing.get(random.nextInt(firing.size())), false);
            return 1;
        }
        return 0;
    }

    private static String body(Group group) {
        boolean anyFiring = group.firing().containsValue(true);
        String alerts = group.firing().entrySet().stream().map(e -> "{\"status\":\"" + (e.getValue() ? "firing" : "resolved")
                + "\",\"labels\":" + json(group.labels(), "instance", e.getKey()) + ",\"annotations\":{\"summary\":\""
                + group.labels().get("alertname") + " on " + e.getKey() + "\"},\"startsAt\":\"2026-11-23T02:59:30Z\","
                + "\"endsAt\":\"" + (e.getValue() ? "0001-01-01T00:00:00Z" : "2026-11-23T03:01:00Z") + "\",\"generatorURL\":\"\","
                + "\"fingerprint\":\"" + e.getKey() + "\"}").collect(Collectors.joining(","));
        return "{\"receiver\":\"firebreak\",\"status\":\"" + (anyFiring ? "firing" : "resolved") + "\",\"alerts\":[" + alerts
                + "],\"groupLabels\":{},\"commonLabels\":" + json(group.labels(), null, null) + ",\"commonAnnotations\":{},"
                + "\"externalURL\":\"http://alertmanager:9093\",\"version\":\"4\",\"groupKey\":\""
                + group.key().replace("\"", "\\\"") + "\",\"truncatedAlerts\":0}";
    }

    private static String json(Map<String, String> labels, String extraName, String extraValue) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        if (extraName != null) all.put(extraName, extraValue);
        return all.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** Counts the messages the console platform posts, by channel. */
    private static final class PostCounter extends OutputStream {
        private final StringBuilder line = new StringBuilder();
        private final Map<String, Integer> byChannel = new HashMap<>();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                Matcher m = POSTED.matcher(line);
                if (m.matches()) byChannel.merge(m.group(1), 1, Integer::sum);
                line.setLength(0);
            } else if (line.length() < 200) {
                line.append((char) b);
            }
        }

        synchronized int in(String channel) {
            return byChannel.getOrDefault(channel, 0);
        }

        synchronized int total() {
            return byChannel.values().stream().mapToInt(Integer::intValue).sum();
        }
    }
}
