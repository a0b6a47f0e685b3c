package dev.firebreak.store;

import dev.firebreak.approval.ApprovalRepository;
import dev.firebreak.approval.ApprovalState;
import dev.firebreak.approval.Vote;
import dev.firebreak.chat.OutboxStore;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentRepository;
import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.incident.TimelineEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** One contract for every store: SQLite always, PostgreSQL when FIREBREAK_TEST_POSTGRES_URL is set. */
class StoreContractTest {

    private static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");

    @TempDir
    Path folder;

    static List<String> stores() {
        return TestDatabases.kinds();
    }

    private Database open(String kind) {
        return Database.open(TestDatabases.freshUrl(kind, folder));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void incidents_keep_their_timeline_in_order_and_hand_roles_over(String kind) {
        try (Database db = open(kind)) {
            IncidentRepository incidents = new JdbcIncidentRepository(db);
            Incident first = incidents.create(new IncidentRepository.NewIncident("P1", "RPC latency", false, "console",
                    "inc-a", "inc-a", "alice"), T0);
            Incident second = incidents.create(new IncidentRepository.NewIncident("P0", "Exploit", true, "console",
                    "inc-b", "inc-b", "alice"), T0.plusSeconds(1));
            assertThat(second.number()).isEqualTo(first.number() + 1);

            for (int i = 0; i < 5; i++) {
                incidents.append(new TimelineEvent(first.number(), T0.plusSeconds(i), "alice", TimelineEvent.Type.NOTE,
                        TimelineEvent.Source.PERSON, "event " + i, i == 0 ? Map.of() : Map.of("index", Integer.toString(i))));
            }
            incidents.append(new TimelineEvent(first.number(), T0.plusSeconds(9), "firebreak", TimelineEvent.Type.APPROVAL_DECIDED,
                    TimelineEvent.Source.APPROVALS, "A-1 approved", Map.of("request", "A-1", "outcome", "approved")));
            assertThat(incidents.timeline(first.number())).extracting(TimelineEvent::text)
                    .containsExactly("event 0", "event 1", "event 2", "event 3", "event 4", "A-1 approved");
            TimelineEvent decided = incidents.timeline(first.number()).getLast();
            assertThat(decided.type()).isEqualTo(TimelineEvent.Type.APPROVAL_DECIDED);
            assertThat(decided.source()).isEqualTo(TimelineEvent.Source.APPROVALS);
            assertThat(decided.details()).containsEntry("request", "A-1").containsEntry("outcome", "approved");
            assertThat(incidents.timeline(first.number()).getFirst().details()).isEmpty();
            assertThat(incidents.timeline(first.number()).get(3).details()).containsExactly(Map.entry("index", "3"));
            assertThat(incidents.timeline(second.number())).isEmpty();

            incidents.assignRole(first.number(), "commander", "alice", T0);
            incidents.assignRole(first.number(), "commander", "bob", T0.plusSeconds(60));
            assertThat(incidents.roles(first.number()))
                    .anySatisfy(r -> assertThat(r.person().equals("alice") && r.renouncedAt() != null).isTrue())
                    .anySatisfy(r -> assertThat(r.person().equals("bob") && r.renouncedAt() == null).isTrue());

            Incident resolved = new Incident(first.number(), "P1", first.title(), IncidentStatus.RESOLVED, false, "console",
                    "inc-a", "inc-a", "alice", T0, T0.plusSeconds(90), null, T0.plusSeconds(90), "provider outage");
            incidents.update(resolved);
            assertThat(incidents.open()).extracting(Incident::number).containsExactly(second.number());
            assertThat(incidents.find(first.number())).get().extracting(Incident::rootCause).isEqualTo("provider outage");
            assertThat(incidents.findByChannel("console", "inc-b")).get().extracting(Incident::security).isEqualTo(true);
            assertThat(incidents.channelNameTaken("inc-a")).isTrue();
            assertThat(incidents.channelNameTaken("inc-c")).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void of_two_racing_transitions_exactly_one_wins(String kind) throws Exception {
        try (Database db = open(kind)) {
            ApprovalRepository approvals = new JdbcApprovalRepository(db);
            long id = approvals.create(request()).id();
            assertThat(approvals.transition(id, ApprovalState.PENDING, ApprovalState.APPROVED, T0, "approved")).isTrue();

            int racers = 8;
            CyclicBarrier start = new CyclicBarrier(racers);
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                tasks.add(() -> {
                    start.await();
                    return approvals.transition(id, ApprovalState.APPROVED, ApprovalState.EXECUTING, T0, null);
                });
            }
            int winners = 0;
            try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
                for (Future<Boolean> f : pool.invokeAll(tasks)) if (f.get()) winners++;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(approvals.find(id)).get().extracting(r -> r.state()).isEqualTo(ApprovalState.EXECUTING);
            assertThat(approvals.inState(ApprovalState.EXECUTING)).hasSize(1);
            assertThat(approvals.inState(ApprovalState.PENDING, ApprovalState.APPROVED)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_vote_counts_once_per_person_and_can_be_withdrawn(String kind) {
        try (Database db = open(kind)) {
            ApprovalRepository approvals = new JdbcApprovalRepository(db);
            long id = approvals.create(request()).id();
            approvals.putVote(id, new Vote("bob", "U0BOB", Vote.Decision.APPROVE, "hash", T0));
            approvals.putVote(id, new Vote("bob", "U0BOB", Vote.Decision.APPROVE, "hash", T0.plusSeconds(1)));
            approvals.putVote(id, new Vote("carol", "U0CAROL", Vote.Decision.REJECT, "hash", T0.plusSeconds(2)));
            assertThat(approvals.votes(id)).extracting(Vote::person).containsExactly("bob", "carol");
            approvals.removeVote(id, "carol");
            assertThat(approvals.votes(id)).extracting(Vote::person).containsExactly("bob");
            approvals.attachMessage(id, 42);
            assertThat(approvals.findByOutboxId(42)).get().extracting(r -> r.id()).isEqualTo(id);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void the_outbox_keeps_order_postpones_and_maps_platform_message_ids(String kind) {
        try (Database db = open(kind)) {
            OutboxStore outbox = new JdbcOutboxStore(db);
            long a = outbox.add("slack", "C1", "{}", true, List.of("white_check_mark", "x"), T0);
            long b = outbox.add("slack", "C1", "{}", false, List.of(), T0);
            long c = outbox.add("console", "incidents", "{}", false, List.of(), T0);
            assertThat(outbox.pending()).extracting(OutboxStore.Entry::id).containsExactly(a, b, c);
            assertThat(outbox.pending().get(0).botReactions()).containsExactly("white_check_mark", "x");

            outbox.postpone(a, T0.plusSeconds(30), "ratelimited");
            assertThat(outbox.find(a)).get().satisfies(e -> {
                assertThat(e.notBefore()).isEqualTo(T0.plusSeconds(30));
                assertThat(e.attempts()).isEqualTo(1);
            });
            outbox.delivered(a, "1700000000.000100", T0.plusSeconds(31));
            outbox.failed(b, "channel_not_found");
            assertThat(outbox.pending()).extracting(OutboxStore.Entry::id).containsExactly(c);
            assertThat(outbox.countPending()).isEqualTo(1);
            assertThat(outbox.countDelivered("slack")).isEqualTo(1);
            assertThat(outbox.findByPlatformMessage("slack", "C1", "1700000000.000100")).get()
                    .extracting(OutboxStore.Entry::id).isEqualTo(a);
            long elsewhere = outbox.add("slack", "C2", "{}", false, List.of(), T0);
            outbox.delivered(elsewhere, "1700000000.000100", T0.plusSeconds(32));
            assertThat(outbox.findByPlatformMessage("slack", "C1", "1700000000.000100")).as("a ts is unique only in its channel")
                    .get().extracting(OutboxStore.Entry::id).isEqualTo(a);
            assertThat(outbox.findByPlatformMessage("slack", "C2", "1700000000.000100")).get()
                    .extracting(OutboxStore.Entry::id).isEqualTo(elsewhere);
            assertThat(outbox.findByPlatformMessage("slack", "C3", "1700000000.000100")).isEmpty();
            outbox.delivered(c, "m7", T0.plusSeconds(33));
            assertThat(outbox.findByPlatformMessage("console", null, "m7")).as("a console ref is unique on its own")
                    .get().extracting(OutboxStore.Entry::id).isEqualTo(c);
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void the_audit_log_reports_the_first_edited_or_removed_row(String kind) {
        try (Database db = open(kind)) {
            JdbcAuditLog audit = new JdbcAuditLog(db, Clock.fixed(T0, ZoneOffset.UTC));
            for (int i = 1; i <= 4; i++) audit.record("alice", "incident.update", "INC-1", "update " + i);
            assertThat(audit.firstTampered()).isEmpty();

            db.jdbi().useHandle(h -> h.execute("UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 3"));
            assertThat(audit.firstTampered()).get().asString().startsWith("row 3:").contains("edited");

            db.jdbi().useHandle(h -> h.execute("UPDATE audit_log SET detail = 'update 3' WHERE seq = 3"));
            db.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq = 2"));
            assertThat(audit.firstTampered()).get().asString().startsWith("row 3:").contains("removed");
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void removing_the_newest_or_all_audit_rows_is_caught_against_a_head_kept_elsewhere(String kind) {
        try (Database db = open(kind)) {
            JdbcAuditLog audit = new JdbcAuditLog(db, Clock.fixed(T0, ZoneOffset.UTC));
            for (int i = 1; i <= 3; i++) audit.record("alice", "incident.update", "INC-1", "update " + i);
            String posted = audit.head().orElseThrow().hash();
            assertThat(audit.head()).get().extracting(e -> e.seq()).isEqualTo(3L);
            audit.record("alice", "incident.update", "INC-1", "update 4");
            assertThat(audit.missingHead(posted)).as("entries after the posted head are fine").isEmpty();

            db.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log WHERE seq >= 3"));
            assertThat(audit.firstTampered()).as("the chain alone cannot tell").isEmpty();
            assertThat(audit.missingHead(posted)).get().asString()
                    .contains("the expected head " + posted + " is not in the log").contains("ending at entry 2")
                    .contains("removed (truncated)");

            db.jdbi().useHandle(h -> h.execute("DELETE FROM audit_log"));
            assertThat(audit.firstTampered()).isEmpty();
            assertThat(audit.missingHead(posted)).get().asString().contains("now has 0 entries");
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_delivery_key_has_one_effect_across_reopening_until_its_retention_has_passed(String kind) {
        String url = TestDatabases.freshUrl(kind, folder);
        dev.firebreak.app.MutableClock clock = new dev.firebreak.app.MutableClock(T0);
        try (Database db = Database.open(url)) {
            JdbcDeliveryLog deliveries = new JdbcDeliveryLog(db, clock);
            assertThat(deliveries.firstDelivery("slack", "event:Ev1")).isTrue();
            assertThat(deliveries.firstDelivery("slack", "event:Ev1")).isFalse();
            assertThat(deliveries.firstDelivery("discord", "event:Ev1")).as("keys are per platform").isTrue();
        }
        clock.advance(java.time.Duration.ofMinutes(5).plusSeconds(1));
        try (Database db = Database.open(url)) {
            JdbcDeliveryLog deliveries = new JdbcDeliveryLog(db, clock);
            assertThat(deliveries.firstDelivery("slack", "event:Ev1")).as("after a restart, past Slack's five minutes").isFalse();
            clock.advance(JdbcDeliveryLog.RETENTION);
            assertThat(deliveries.firstDelivery("slack", "event:Ev2")).isTrue();
            long kept = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbound_deliveries").mapTo(Long.class).one());
            assertThat(kept).as("expired keys are removed as the clock passes them").isEqualTo(1L);
            assertThat(deliveries.firstDelivery("slack", "event:Ev1")).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void reopening_a_store_keeps_its_rows_and_continues_its_ids(String kind) {
        String url = TestDatabases.freshUrl(kind, folder);
        long first;
        try (Database db = Database.open(url)) {
            first = new JdbcIncidentRepository(db).create(new IncidentRepository.NewIncident("P2", "Disk 85%", false,
                    "console", "inc-x", "inc-x", "alice"), T0).number();
        }
        try (Database db = Database.open(url)) {
            IncidentRepository incidents = new JdbcIncidentRepository(db);
            assertThat(incidents.find(first)).get().extracting(Incident::title).isEqualTo("Disk 85%");
            long next = incidents.create(new IncidentRepository.NewIncident("P2", "Disk 90%", false, "console", "inc-y",
                    "inc-y", "alice"), T0).number();
            assertThat(next).isEqualTo(first + 1);
        }
    }

    private static ApprovalRepository.NewRequest request() {
        return new ApprovalRepository.NewRequest(null, "http.post", "hash", "{}", "preview", "two-approvers", "alice",
                "console", "incidents", null, T0, T0.plusSeconds(1800));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void concurrent_writers_queue_for_the_store_instead_of_failing(String kind) throws Exception {
        try (Database db = open(kind)) {
            JdbcAuditLog audit = new JdbcAuditLog(db, Clock.fixed(T0, ZoneOffset.UTC));
            ApprovalRepository approvals = new JdbcApprovalRepository(db);
            int writers = 8;
            int rounds = 15;
            CyclicBarrier start = new CyclicBarrier(writers);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        // a read-then-write transaction (the audit chain) racing plain writes
                        audit.record("writer" + writer, "test.write", "W-" + writer, "round " + i);
                        approvals.create(request());
                    }
                    return null;
                });
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
                for (Future<Void> f : pool.invokeAll(tasks)) f.get();
            }
            assertThat(audit.entries()).hasSize(writers * rounds);
            assertThat(audit.firstTampered()).isEmpty();
            assertThat(approvals.inState(ApprovalState.PENDING)).hasSize(writers * rounds);
            if (kind.equals("sqlite")) {
                String journalMode = db.jdbi().withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
                assertThat(journalMode).isEqualTo("wal");
            }
        }
    }
}
