package dev.firebreak.store;

import dev.firebreak.approval.ApprovalRepository;
import dev.firebreak.approval.ApprovalService;
import dev.firebreak.approval.ApprovalState;
import dev.firebreak.approval.Vote;
import dev.firebreak.audit.AuditEntry;
import dev.firebreak.chat.OutboxStore;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentRepository;
import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.runbook.RunbookRun;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void a_keyed_message_is_queued_once_and_found_by_its_key(String kind) {
        try (Database db = open(kind)) {
            OutboxStore outbox = new JdbcOutboxStore(db);
            long plain = outbox.add("console", "ops-alerts", "{}", false, List.of(), T0);
            java.util.Optional<Long> first = outbox.addKeyed("alert-group/console/g1", "console", "ops-alerts", "{\"v\":1}", false, T0);
            assertThat(first).isPresent();
            assertThat(outbox.addKeyed("alert-group/console/g1", "console", "ops-alerts", "{\"v\":2}", false, T0))
                    .as("the key is taken: nothing queued").isEmpty();
            assertThat(outbox.findByKey("alert-group/console/g1")).isEqualTo(first);
            assertThat(outbox.findByKey("alert-group/console/g2")).isEmpty();
            assertThat(outbox.pendingIn("console", "ops-alerts", 10)).extracting(OutboxStore.Entry::id).containsExactly(plain, first.get());
            assertThat(outbox.find(first.get()).orElseThrow().body()).isEqualTo("{\"v\":1}");
        }
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
            assertThat(incidents.timeline(first.number(), 2, 3)).extracting(TimelineEvent::text)
                    .as("one page, read as one").containsExactly("event 2", "event 3", "event 4");
            assertThat(incidents.timeline(first.number(), 5, 3)).extracting(TimelineEvent::text).containsExactly("A-1 approved");
            assertThat(incidents.timeline(first.number(), 6, 3)).isEmpty();
            assertThat(incidents.timelineLength(first.number())).isEqualTo(6);
            assertThat(incidents.timelineLength(second.number())).isZero();

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
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void the_open_incidents_are_counted_only_as_far_as_asked_and_found_by_when_they_were_declared(String kind) {
        try (Database db = open(kind)) {
            IncidentRepository incidents = new JdbcIncidentRepository(db);
            for (int i = 0; i < 6; i++) {
                incidents.create(new IncidentRepository.NewIncident("P2", "incident " + i, false, "console", "c" + i, "inc-" + i,
                        "alice"), T0.plusSeconds(60L * i));
            }
            incidents.create(new IncidentRepository.NewIncident("P2", "no channel yet", false, "console",
                    IncidentRepository.NO_CHANNEL_YET, "inc-reserved", "alice"), T0.plusSeconds(600));
            Incident first = incidents.findByChannel("console", "c0").orElseThrow();
            incidents.update(new Incident(first.number(), "P2", first.title(), IncidentStatus.RESOLVED, false, "console", "c0",
                    "inc-0", "alice", first.declaredAt(), T0, null, T0, "fixed"));

            assertThat(incidents.countOpen(Integer.MAX_VALUE)).as("open, with a channel").isEqualTo(5);
            assertThat(incidents.countOpen(3)).as("the count stops at the bound").isEqualTo(3);
            assertThat(incidents.openDeclaredSince(T0.plusSeconds(180))).extracting(Incident::title)
                    .containsExactly("incident 3", "incident 4", "incident 5");
            assertThat(incidents.openDeclaredSince(T0)).as("never the resolved one or one without a channel")
                    .extracting(Incident::title).containsExactly("incident 1", "incident 2", "incident 3", "incident 4", "incident 5");
            assertThat(incidents.openDeclaredSince(T0.plusSeconds(301))).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_taken_channel_name_gets_the_next_number_and_racing_declarations_get_distinct_names(String kind) throws Exception {
        try (Database db = open(kind)) {
            IncidentRepository incidents = new JdbcIncidentRepository(db);
            IncidentRepository.NewIncident blocks = new IncidentRepository.NewIncident("P0", "L2 blocks stopped", false,
                    "console", IncidentRepository.NO_CHANNEL_YET, "inc-l2", "alice");
            assertThat(incidents.createInFreeChannel(blocks, T0).channelName()).isEqualTo("inc-l2");
            assertThat(incidents.createInFreeChannel(blocks, T0).channelName()).isEqualTo("inc-l2-2");
            // an incident named exactly like the next number (its title ends in 3) is skipped, not collided with
            incidents.create(new IncidentRepository.NewIncident("P2", "L2 3", false, "console", "c", "inc-l2-3", "bob"), T0);
            assertThat(incidents.createInFreeChannel(blocks, T0).channelName()).isEqualTo("inc-l2-4");

            var threads = java.util.concurrent.Executors.newFixedThreadPool(4);
            List<java.util.concurrent.Future<String>> racing = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) racing.add(threads.submit(() -> incidents.createInFreeChannel(blocks, T0).channelName()));
            java.util.Set<String> names = new java.util.TreeSet<>();
            for (var name : racing) names.add(name.get());
            threads.shutdown();
            assertThat(names).as("eight declarations at once, eight names").hasSize(8)
                    .allSatisfy(name -> assertThat(name).matches("inc-l2-([5-9]|1[0-2])"));
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
    void what_an_execution_waits_on_is_written_only_when_it_changed_and_only_while_it_executes(String kind) {
        try (Database db = open(kind)) {
            ApprovalRepository approvals = new JdbcApprovalRepository(db);
            long id = approvals.create(request()).id();
            Instant closes = T0.plusSeconds(3600);
            assertThat(approvals.waitingOn(id, "0 of 3 owners signed, 2 needed", closes)).as("not executing yet").isFalse();
            approvals.transition(id, ApprovalState.PENDING, ApprovalState.APPROVED, T0, null);
            approvals.transition(id, ApprovalState.APPROVED, ApprovalState.EXECUTING, T0, null);
            assertThat(approvals.waitingOnOthers()).isEmpty();

            assertThat(approvals.waitingOn(id, "0 of 3 owners signed, 2 needed", closes)).isTrue();
            assertThat(approvals.waitingOn(id, "0 of 3 owners signed, 2 needed", closes)).as("the same again writes nothing").isFalse();
            assertThat(approvals.waitingOn(id, "1 of 3 owners signed, 2 needed", closes)).isTrue();
            assertThat(approvals.waitingOn(id, "1 of 3 owners signed, 2 needed", closes.plusSeconds(60))).as("a new deadline").isTrue();
            assertThat(approvals.waitingOnOthers()).containsExactly(
                    Map.entry(id, new ApprovalService.OnOthers("1 of 3 owners signed, 2 needed", closes.plusSeconds(60))));

            approvals.transition(id, ApprovalState.EXECUTING, ApprovalState.SENT, T0, "sent tx 0xab");
            assertThat(approvals.waitingOnOthers()).as("sent: it waits on nobody").isEmpty();
            assertThat(approvals.waitingOn(id, "2 of 3 owners signed, 2 needed", closes)).isFalse();
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
            assertThat(outbox.pendingAfter(0)).extracting(OutboxStore.Entry::id).containsExactly(a, b, c);
            assertThat(outbox.pendingAfter(0).get(0).botReactions()).containsExactly("white_check_mark", "x");
            assertThat(outbox.pendingIn("slack", "C1", 10)).extracting(OutboxStore.Entry::id).containsExactly(a, b);
            assertThat(outbox.pendingIn("slack", "C1", 1)).extracting(OutboxStore.Entry::id).as("the first one only").containsExactly(a);
            assertThat(outbox.pendingOn("console", 10)).extracting(OutboxStore.Entry::id).containsExactly(c);
            assertThat(outbox.pendingIn("slack", "C1", 10).get(0).botReactions()).containsExactly("white_check_mark", "x");

            outbox.postpone(a, T0.plusSeconds(30), "ratelimited");
            assertThat(outbox.find(a)).get().satisfies(e -> {
                assertThat(e.notBefore()).isEqualTo(T0.plusSeconds(30));
                assertThat(e.attempts()).isEqualTo(1);
            });
            outbox.delivered(a, "1700000000.000100", T0.plusSeconds(31));
            outbox.failed(b, "channel_not_found");
            assertThat(outbox.pendingAfter(0)).extracting(OutboxStore.Entry::id).containsExactly(c);
            assertThat(outbox.pendingOn("slack", 10)).isEmpty();
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

            long firstEdit = outbox.addEdit(c, "{\"v\":1}", T0);
            assertThat(outbox.editPendingAfter(firstEdit, c)).as("no later edit of it waits").isFalse();
            long secondEdit = outbox.addEdit(c, "{\"v\":2}", T0);
            outbox.addEdit(elsewhere, "{}", T0);
            assertThat(outbox.editPendingAfter(firstEdit, c)).as("overtaken by the second edit").isTrue();
            assertThat(outbox.editPendingAfter(secondEdit, c)).as("an edit of another message does not count").isFalse();
            outbox.delivered(secondEdit, null, T0.plusSeconds(34));
            assertThat(outbox.editPendingAfter(firstEdit, c)).as("a delivered edit waits no more").isFalse();
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
            assertThat(deliveries.firstDelivery("slack", "event:Ev1")).as("a repeat of the renewed key").isFalse();
            clock.advance(JdbcDeliveryLog.RETENTION.minusSeconds(30));
            assertThat(deliveries.firstDelivery("slack", "event:Ev3")).as("sweeps; Ev1 has 30 s left").isTrue();
            clock.advance(java.time.Duration.ofSeconds(31));
            assertThat(deliveries.firstDelivery("slack", "event:Ev1"))
                    .as("expired 1 s ago, before the next sweep has removed it: new again").isTrue();
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

    @ParameterizedTest
    @MethodSource("stores")
    void two_processes_writing_to_one_store_at_once_get_distinct_ids(String kind) throws Exception {
        String url = TestDatabases.freshUrl(kind, folder);
        int rounds = 20;
        try (Database one = Database.open(url); Database other = Database.open(url)) {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Callable<List<Long>>> writers = new ArrayList<>();
            for (Database db : List.of(one, other)) {
                String writer = db == one ? "one" : "other";
                writers.add(() -> {
                    IncidentRepository incidents = new JdbcIncidentRepository(db);
                    OutboxStore outbox = new JdbcOutboxStore(db);
                    ApprovalRepository approvals = new JdbcApprovalRepository(db);
                    JdbcRunbookRuns runs = new JdbcRunbookRuns(db);
                    JdbcAuditLog audit = new JdbcAuditLog(db, Clock.fixed(T0, ZoneOffset.UTC));
                    List<Long> ids = new ArrayList<>();
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        long number = incidents.create(new IncidentRepository.NewIncident("P2", "Disk " + i, false,
                                "console", writer + "-" + i, "inc-" + writer + "-" + i, "alice"), T0).number();
                        incidents.append(new TimelineEvent(number, T0, "alice", TimelineEvent.Type.NOTE, TimelineEvent.Source.PERSON, writer + " " + i, Map.of()));
                        ids.add(number);
                        ids.add(outbox.add("console", "incidents", "{}", false, List.of(), T0));
                        ids.add(approvals.create(request()).id());
                        ids.add(runs.create(new RunbookRun(0, "generic", number, "console", "incidents", "alice", Map.of(),
                                0, RunbookRun.State.RUNNING, T0)).id());
                        audit.record(writer, "test.write", "INC-" + number, "round " + i);
                    }
                    return ids;
                });
            }
            List<List<Long>> byKind = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                for (Future<List<Long>> f : pool.invokeAll(writers)) {
                    List<Long> ids = f.get();
                    for (int i = 0; i < ids.size(); i++) byKind.get(i % 4).add(ids.get(i));
                }
            }
            for (List<Long> ids : byKind) assertThat(ids).hasSize(2 * rounds).doesNotHaveDuplicates();
            IncidentRepository incidents = new JdbcIncidentRepository(one);
            assertThat(incidents.all()).hasSize(2 * rounds);
            assertThat(byKind.getFirst()).allSatisfy(n -> assertThat(incidents.timeline(n)).hasSize(1));
            assertThat(new JdbcOutboxStore(other).pendingIn("console", "incidents", 10 * rounds)).hasSize(2 * rounds);
            JdbcAuditLog audit = new JdbcAuditLog(one, Clock.fixed(T0, ZoneOffset.UTC));
            assertThat(audit.entries()).extracting(AuditEntry::seq).hasSize(2 * rounds).doesNotHaveDuplicates();
            assertThat(audit.firstTampered()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_store_whose_ids_were_assigned_by_the_bot_continues_after_its_highest_ids(String kind) {
        String url = TestDatabases.freshUrl(kind, folder);
        Flyway before = Database.migrations(url).target("100").load();
        before.migrate();
        Jdbi.create(before.getConfiguration().getDataSource()).useHandle(h -> {
            for (long n = 1; n <= 3; n++) {
                h.execute("INSERT INTO incidents (number, severity, title, status, security, platform, channel_id, "
                        + "channel_name, declared_by, declared_at, last_update_at) VALUES (?, 'P1', 'old', 'INVESTIGATING', "
                        + "false, 'console', 'c" + n + "', 'inc-" + n + "', 'alice', ?, ?)", n, Times.format(T0), Times.format(T0));
                h.execute("INSERT INTO timeline_events (id, incident_number, at, actor, kind, text) VALUES (?, ?, ?, "
                        + "'alice', 'note', 'before')", 10 + n, n, Times.format(T0));
            }
            h.execute("INSERT INTO incident_roles (incident_number, role, person, assumed_at) VALUES (3, 'commander', 'alice', ?)",
                    Times.format(T0));
            h.execute("INSERT INTO outbox (id, platform, channel_id, body, pin, bot_reactions, state, attempts, not_before, "
                    + "created_at) VALUES (7, 'console', 'incidents', '{}', false, '', 'PENDING', 0, ?, ?)", Times.format(T0), Times.format(T0));
            h.execute("INSERT INTO approval_requests (id, action, action_hash, canonical_json, preview, policy, requested_by, "
                    + "platform, channel_id, state, created_at, expires_at) VALUES (5, 'http.post', 'hash', '{}', 'preview', "
                    + "'two-approvers', 'alice', 'console', 'incidents', 'PENDING', ?, ?)", Times.format(T0), Times.format(T0));
            h.execute("INSERT INTO approval_votes (request_id, person, user_id, decision, action_hash, at) VALUES "
                    + "(5, 'bob', 'U0BOB', 'APPROVE', 'hash', ?)", Times.format(T0));
            h.execute("INSERT INTO runbook_runs (id, runbook, platform, channel_id, started_by, params, next_step, state, "
                    + "started_at) VALUES (4, 'generic', 'console', 'incidents', 'alice', '{}', 0, 'DONE', ?)", Times.format(T0));
        });
        try (Database db = Database.open(url)) {
            IncidentRepository incidents = new JdbcIncidentRepository(db);
            assertThat(incidents.create(new IncidentRepository.NewIncident("P2", "new", false, "console", "c4", "inc-4",
                    "alice"), T0).number()).isEqualTo(4);
            incidents.append(new TimelineEvent(3, T0.plusSeconds(1), "alice", TimelineEvent.Type.NOTE, TimelineEvent.Source.PERSON, "after", Map.of()));
            assertThat(incidents.timeline(3)).extracting(TimelineEvent::text).containsExactly("before", "after");
            assertThat(incidents.roles(3)).extracting(r -> r.person()).containsExactly("alice");
            assertThat(new JdbcOutboxStore(db).add("console", "incidents", "{}", false, List.of(), T0)).isEqualTo(8);
            ApprovalRepository approvals = new JdbcApprovalRepository(db);
            assertThat(approvals.create(request()).id()).isEqualTo(6);
            assertThat(approvals.votes(5)).extracting(Vote::person).containsExactly("bob");
            assertThat(new JdbcRunbookRuns(db).create(new RunbookRun(0, "generic", null, "console", "incidents", "alice",
                    Map.of(), 0, RunbookRun.State.RUNNING, T0)).id()).isEqualTo(5);
            assertThatThrownBy(() -> incidents.append(new TimelineEvent(99, T0, "alice", TimelineEvent.Type.NOTE, TimelineEvent.Source.PERSON, "no such incident", Map.of())))
                    .as("the rebuilt timeline still refers to its incident").isInstanceOf(UnableToExecuteStatementException.class);
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
