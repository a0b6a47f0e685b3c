package dev.firebreak.store;

import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentRepository;
import dev.firebreak.incident.TimelineEvent;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * What the store does for a command as it grows: at 1,000 and at 50,000 incidents (one of them
 * with a 5,000-event timeline; each with its commander, an approval request and a delivered
 * message; a pending message per ten incidents), on SQLite and, with FIREBREAK_TEST_POSTGRES_URL
 * set, PostgreSQL: the incident of a channel, all that a command in an incident channel does
 * against the store (its delivery key, the incident of the channel, its roles, a timeline event
 * with its audit row, a reply queued), the first and the 50th page of {@code /incident list} (the
 * open incidents counted up to 1,001) and its count and page apart, the duplicate check of a
 * declaration, a page and the last page of the long timeline, the approval request of a reacted
 * message, what the outbox's rescan reads every second, and naming the channel of the 1,000th
 * declaration of the same title; for comparison, counting and reading every open incident and
 * every pending message, as {@code /incident list}, the duplicate check and the rescan did before.
 * After each fill, PostgreSQL is analysed, as autovacuum does for a store that grew that way.
 * Prints p50/p99 per query and the garbage collections during its samples; asserts nothing about time.
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
                long longTimeline = fill(db, 0, 1_000);
                appendEvents(db, longTimeline, 5_000);
                analyse(db);
                report(kind, 1_000, db, longTimeline);
                fill(db, 1_000, 50_000);
                analyse(db);
                report(kind, 50_000, db, longTimeline);
            }
        }
    }

    /** What autovacuum does on PostgreSQL after a table grew by a tenth; SQLite gathers no statistics unless told. */
    private static void analyse(Database db) {
        if (db.postgres()) db.jdbi().useHandle(h -> h.execute("ANALYZE"));
    }

    private static void report(String kind, int size, Database db, long longTimeline) {
        JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
        JdbcAuditLog audit = new JdbcAuditLog(db, Clock.systemUTC());
        JdbcOutboxStore outbox = new JdbcOutboxStore(db);
        JdbcApprovalRepository approvals = new JdbcApprovalRepository(db);
        JdbcDeliveryLog deliveries = new JdbcDeliveryLog(db, Clock.systemUTC());
        long[] deliveryKey = {0};
        Random random = new Random(7);
        int count = incidents.countOpen(Integer.MAX_VALUE);
        System.out.printf("%s, %,d incidents (%,d open), a %,d-event timeline%n", kind, size, count, incidents.timeline(longTimeline).size());
        print("  incident of a channel (every incident-channel command)", time(i ->
                incidents.findByChannel("slack", "C" + (1 + random.nextInt(size))).orElseThrow()));
        print("  a command in an incident channel (delivery key, incident, roles, timeline event and audit row, reply queued)", time(i -> {
            deliveries.firstDelivery("slack", "bench-" + size + "-" + deliveryKey[0]++);
            Incident incident = incidents.findByChannel("slack", "C" + (1 + random.nextInt(size))).orElseThrow();
            incidents.roles(incident.number());
            incidents.append(new TimelineEvent(incident.number(), T0, "bob", TimelineEvent.Type.NOTE, TimelineEvent.Source.PERSON,
                    "checked the heads again", java.util.Map.of()));
            audit.record("bob", "note", incident.id(), "checked the heads again");
            outbox.add("slack", incident.channelId(), "{\"blocks\":[]}", false, List.of(), T0);
        }));
        print("  /incident list, first page (count up to 1,001, a page)", time(i -> {
            incidents.countOpen(1_001);
            incidents.open(0, 20);
        }));
        print("  /incident list, page 50 (count up to 1,001, a page at offset 980)", time(i -> {
            incidents.countOpen(1_001);
            incidents.open(980, 20);
        }));
        print("  /incident list's count alone (up to 1,001)", time(i -> incidents.countOpen(1_001)));
        print("  /incident list's first page alone", time(i -> incidents.open(0, 20)));
        print("  duplicate-declaration check (open incidents declared in the last 30 minutes)", time(i ->
                incidents.openDeclaredSince(declaredAt(size - 30))));
        print("  /incident timeline of the 5,000 events, first page (its length, 20 events)", time(i -> {
            incidents.timelineLength(longTimeline);
            incidents.timeline(longTimeline, 0, 20);
        }));
        print("  /incident timeline of the 5,000 events, last page (its length, 20 events at offset 4,980)", time(i -> {
            incidents.timelineLength(longTimeline);
            incidents.timeline(longTimeline, 4_980, 20);
        }));
        print("  for comparison, reading all 5,000 events (the post-mortem draft does)", time(10, i -> incidents.timeline(longTimeline)));
        print("  the approval request of a reacted message (by its outbox id)", time(i ->
                approvals.findByOutboxId(1 + random.nextInt(size))));
        print("  the outbox's rescan (the last queued id, the pending messages queued since the one before the last 10)", time(i -> {
            long last = outbox.lastQueuedId();
            outbox.pendingAfter(last - 10);
        }));
        print("  for comparison, counting every open incident (what /incident list did)", time(i -> incidents.countOpen(Integer.MAX_VALUE)));
        print("  for comparison, reading every open incident (what the duplicate check did)", time(10, i -> incidents.open()));
        print("  for comparison, reading every pending message (what the outbox's rescan did)", time(10, i -> outbox.pendingAfter(0)));
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

    /**
     * Incidents numbered from+1 .. to, each in channel C{number}, every tenth resolved, each with its
     * commander, an approval request and a delivered message (the request's), every tenth with a
     * message still pending.
     */
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
            var roles = h.prepareBatch("INSERT INTO incident_roles (incident_number, role, person, assumed_at) "
                    + "SELECT number, 'commander', 'alice', declared_at FROM incidents WHERE platform = 'slack' AND channel_id = :c");
            var messages = h.prepareBatch("INSERT INTO outbox (platform, channel_id, body, pin, bot_reactions, state, attempts, "
                    + "not_before, created_at, platform_message_id) VALUES ('slack', :c, '{\"blocks\":[]}', false, '', :state, 0, :at, :at, :m)");
            var requests = h.prepareBatch("INSERT INTO approval_requests (incident_number, action, action_hash, canonical_json, "
                    + "preview, policy, requested_by, platform, channel_id, outbox_id, state, created_at, expires_at) "
                    + "SELECT number, 'pause', 'h', '{}', 'pause', 'chain', 'alice', 'slack', channel_id, (SELECT o.id FROM outbox o "
                    + "WHERE o.platform = 'slack' AND o.platform_message_id = :m), 'APPROVED', declared_at, declared_at "
                    + "FROM incidents WHERE platform = 'slack' AND channel_id = :c");
            for (int n = from + 1; n <= to; n++) {
                String at = Times.format(declaredAt(n));
                roles.bind("c", "C" + n).add();
                messages.bind("c", "C" + n).bind("state", "DELIVERED").bind("at", at).bind("m", "m" + n).add();
                if (n % 10 == 0) messages.bind("c", "C" + n).bind("state", "PENDING").bind("at", at).bind("m", (String) null).add();
            }
            roles.execute();
            messages.execute();
            for (int n = from + 1; n <= to; n++) requests.bind("c", "C" + n).bind("m", "m" + n).add();
            requests.execute();
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

    /** Garbage collections (count, milliseconds) during the samples of the last {@link #time} call. */
    private static long gcCount, gcMillis;

    private static long[] time(int samples, IntConsumer body) {
        long count = gcTotals()[0], millis = gcTotals()[1];
        long[] times = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            body.accept(i);
            times[i] = System.nanoTime() - start;
        }
        gcCount = gcTotals()[0] - count;
        gcMillis = gcTotals()[1] - millis;
        Arrays.sort(times);
        return times;
    }

    private static void print(String what, long[] sorted) {
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (GC during the samples: %d, %d ms)%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6,
                sorted[sorted.length - 1] / 1e6, gcCount, gcMillis);
    }

    private static long[] gcTotals() {
        long count = 0, millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private StoreScaleBench() {}
}
