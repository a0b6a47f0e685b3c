package dev.firebreak.store;

import dev.firebreak.incident.IncidentRepository;
import dev.firebreak.incident.TimelineEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * What the store does for a command as it grows: at 1,000 and at 50,000 incidents (one of them
 * with a 5,000-event timeline), on SQLite and, with FIREBREAK_TEST_POSTGRES_URL set, PostgreSQL:
 * the incident of a channel (every command in an incident channel looks it up), the first and the
 * 50th page of {@code /incident list} (the open incidents counted up to 1,001), the duplicate
 * check of a declaration, a page of the long timeline, and naming the channel of the 1,000th
 * declaration of the same title; for comparison, counting and reading every open incident, as
 * {@code /incident list} and the duplicate check did before. Prints p50/p99 per query; asserts
 * nothing about time.
 *
 * <pre>
 * FIREBREAK_TEST_POSTGRES_URL=... ./mvnw -q -B -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.firebreak.store.StoreScaleBench
 * </pre>
 */
public final class StoreScaleBench {

    static final int SAMPLES = 1_000;
    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("store-scale-bench");
        for (String kind : TestDatabases.kinds()) {
            try (Database db = Database.open(TestDatabases.freshUrl(kind, folder))) {
                JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
                long longTimeline = fill(db, 0, 1_000);
                appendEvents(db, longTimeline, 5_000);
                report(kind, 1_000, incidents, longTimeline);
                fill(db, 1_000, 50_000);
                report(kind, 50_000, incidents, longTimeline);
            }
        }
    }

    private static void report(String kind, int size, JdbcIncidentRepository incidents, long longTimeline) {
        Random random = new Random(7);
        int count = incidents.countOpen(Integer.MAX_VALUE);
        System.out.printf("%s, %,d incidents (%,d open), a %,d-event timeline%n", kind, size, count, incidents.timeline(longTimeline).size());
        print("  incident of a channel (every incident-channel command)", time(i ->
                incidents.findByChannel("slack", "C" + (1 + random.nextInt(size))).orElseThrow()));
        print("  /incident list, first page (count up to 1,001, a page)", time(i -> {
            incidents.countOpen(1_001);
            incidents.open(0, 20);
        }));
        print("  /incident list, page 50 (count up to 1,001, a page at offset 980)", time(i -> {
            incidents.countOpen(1_001);
            incidents.open(980, 20);
        }));
        print("  duplicate-declaration check (open incidents declared in the last 30 minutes)", time(i ->
                incidents.openDeclaredSince(declaredAt(size - 30))));
        print("  /incident timeline, reading the 5,000 events (its pages are cut to fit one post from all of them)",
                time(10, i -> incidents.timeline(longTimeline)));
        print("  for comparison, counting every open incident (what /incident list did)", time(i -> incidents.countOpen(Integer.MAX_VALUE)));
        print("  for comparison, reading every open incident (what the duplicate check did)", time(10, i -> incidents.open()));
        IncidentRepository.NewIncident same = new IncidentRepository.NewIncident("P2", "disk filling", false, "slack",
                IncidentRepository.NO_CHANNEL_YET, "inc-20261123-disk-filling-" + size, "alice");
        for (int i = 0; i < 999; i++) incidents.createInFreeChannel(same, T0);
        long[] naming = time(1, i -> incidents.createInFreeChannel(same, T0));
        System.out.printf("  naming the channel of the 1,000th declaration of one title: %.2f ms%n", naming[0] / 1e6);
    }

    /** Incident n was declared n minutes after T0, so the last 30 of a store were declared in its last 30 minutes. */
    private static Instant declaredAt(int n) {
        return T0.plusSeconds(60L * n);
    }

    /** Incidents numbered from+1 .. to, each in channel C{number}, every tenth resolved. */
    private static long fill(Database db, int from, int to) {
        db.jdbi().useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO incidents (severity, title, status, security, platform, channel_id, channel_name, "
                    + "channel_base, channel_ordinal, declared_by, declared_at, last_update_at) VALUES (:s, :t, :st, false, 'slack', :c, "
                    + ":name, :name, 1, 'alice', :at, :at)");
            for (int n = from + 1; n <= to; n++) {
                batch.bind("s", "P" + n % 4).bind("t", "incident " + n).bind("st", n % 10 == 0 ? "RESOLVED" : "INVESTIGATING")
                        .bind("c", "C" + n).bind("name", "inc-" + n).bind("at", Times.format(declaredAt(n))).add();
            }
            batch.execute();
        });
        return db.jdbi().withHandle(h -> h.createQuery("SELECT number FROM incidents WHERE channel_id = 'C1'").mapTo(Long.class).one());
    }

    private static void appendEvents(Database db, long number, int events) {
        db.jdbi().useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO timeline_events (incident_number, at, actor, kind, source, text, details) "
                    + "VALUES (:n, :at, 'bob', :kind, :source, :text, NULL)");
            for (int i = 0; i < events; i++) {
                batch.bind("n", number).bind("at", Times.format(T0.plusSeconds(i))).bind("kind", TimelineEvent.Type.NOTE.stored())
                        .bind("source", TimelineEvent.Source.PERSON.stored())
                        .bind("text", "note " + i + ": failover to the backup RPC provider, checking the heads again").add();
            }
            batch.execute();
        });
    }

    private static long[] time(IntConsumer body) {
        for (int i = 0; i < 100; i++) body.accept(i); // warm-up
        return time(SAMPLES, body);
    }

    private static long[] time(int samples, IntConsumer body) {
        long[] times = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            body.accept(i);
            times[i] = System.nanoTime() - start;
        }
        Arrays.sort(times);
        return times;
    }

    private static void print(String what, long[] sorted) {
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms%n", what, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6);
    }

    private StoreScaleBench() {}
}
