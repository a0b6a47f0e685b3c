package dev.firebreak.approval;

import dev.firebreak.app.MutableClock;
import dev.firebreak.audit.AuditEntry;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.chat.slack.SlackPayloads;
import dev.firebreak.demo.http.DemoSequencerService;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.ha.AdvisoryLockLeadership;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.IncidentTimeline;
import dev.firebreak.incident.Severity;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Secret;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.http.HttpOperations;
import dev.firebreak.probe.http.ServicesConfig;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.JdbcApprovalRepository;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.TestDatabases;
import dev.firebreak.template.Templates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The approval gate on its own: {@link ApprovalService} on a SQLite store, posting through the
 * real outbox to the real Slack client against the local Slack stand-in, running the real
 * {@code http.post} action against the local sequencer stand-in, with a clock the test moves.
 */
class ApprovalsTest {

    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");
    static final String TOKEN = "sequencer-token-approvals-test";
    static final String APPROVE = "white_check_mark";
    static final String REJECT = "x";
    static final Map<String, ApprovalPolicy> POLICIES = Map.of(
            "two-approvers", new ApprovalPolicy("service actions", 2, List.of("approver"), Duration.ofMinutes(30), APPROVE, REJECT),
            "three-approvers", new ApprovalPolicy("big ones", 3, List.of("approver"), Duration.ofMinutes(30), APPROVE, REJECT),
            "council", new ApprovalPolicy("nobody holds the role", 2, List.of("council"), Duration.ofMinutes(15), APPROVE, REJECT));
    static final List<Person> TEAM = List.of(
            new Person("alice", "Alice", List.of("commander", "responder"), Map.of("slack", "U0ALICE")),
            new Person("bob", "Bob", List.of("responder", "approver"), Map.of("slack", "U0BOB")),
            new Person("carol", "Carol", List.of("responder", "approver"), Map.of("slack", "U0CAROL")),
            new Person("dave", "Dave", List.of("approver"), Map.of("slack", "U0DAVE")),
            new Person("mallory", "Mallory", List.of(), Map.of("slack", "U0MALLORY")));
    static final Severity P1 = new Severity("P1", "High", "degraded", Duration.ofMinutes(15), Duration.ofMinutes(30),
            "On-call engineer + lead", List.of());

    @TempDir
    Path data;

    final MutableClock clock = new MutableClock(T0);
    DemoSequencerService sequencer;
    FakeSlackServer slack;
    Database database;
    Outbox outbox;
    AuditLog audit;
    JdbcApprovalRepository requests;
    IncidentService incidents;
    Action httpPost;
    Map<String, Action> actions;
    ChatPlatforms platforms;
    IncidentTimeline timeline;
    ApprovalService approvals;
    Incident incident;

    @BeforeEach
    void wire() {
        sequencer = DemoSequencerService.start(TOKEN);
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        database = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        approvals = startProcess();
        incident = incidents.declare("slack", "alice", P1, "Anchoring lag", false, List.of());
        outbox.deliverDue();
    }

    /** Wires the approval gate as {@code Firebreak.assemble} does, on the test's store: one bot process. */
    ApprovalService startProcess() {
        People people = new People(TEAM);
        ChatPlatform platform = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-approvals-test",
                "SLACK_APP_TOKEN", "xapp-approvals-test", "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, clock,
                new JdbcDeliveryLog(database, clock)).orElseThrow().platform();
        outbox = new Outbox(new JdbcOutboxStore(database), clock);
        outbox.register(platform, Duration.ZERO);
        platforms = new ChatPlatforms();
        platforms.add(platform, "incidents", "ops-alerts");
        audit = new JdbcAuditLog(database, clock);
        JdbcIncidentRepository incidentStore = new JdbcIncidentRepository(database);
        timeline = new IncidentTimeline(incidentStore, audit, clock);
        incidents = new IncidentService(incidentStore, List.of(P1), people, platforms, outbox,
                Templates.load(Path.of("templates"), new ArrayList<>()), timeline, clock, "inc", List.of());
        ServicesConfig services = new ServicesConfig(Map.of("sequencer", new ServicesConfig.Service(sequencer.url(),
                Duration.ofSeconds(3), new Secret("env SEQUENCER_API_TOKEN", TOKEN), Map.of(), List.of())));
        actions = new HttpOperations(services).actions();
        httpPost = actions.get("http.post");
        requests = new JdbcApprovalRepository(database);
        return new ApprovalService(requests, POLICIES, actions, people, platforms, outbox, incidents, timeline, audit, clock);
    }

    @AfterEach
    void close() {
        database.close();
        slack.close();
        sequencer.close();
    }

    // ---- counting

    @Test
    void two_distinct_approvers_approve_and_the_action_runs_exactly_once() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-42");

        react("U0BOB", request, APPROVE);
        assertThat(stateOf(request)).isEqualTo(ApprovalState.PENDING);
        assertThat(postedInIncident()).anyMatch(text -> text.contains("bob approved A-1 (1/2)"));
        assertThat(sequencer.anchorRequests()).as("nothing runs on the first approval").isEmpty();

        react("U0CAROL", request, APPROVE);
        assertThat(stateOf(request)).isEqualTo(ApprovalState.SUCCEEDED);
        assertThat(sequencer.anchorRequests()).containsExactly("{\"batch_id\":\"batch-42\"}");
        assertThat(postedInIncident()).anyMatch(text -> text.contains("A-1 approved by bob, carol. Running it now."))
                .anyMatch(text -> text.contains("A-1 done"));

        react("U0DAVE", request, APPROVE);
        unreact("U0BOB", request, APPROVE);
        react("U0BOB", request, APPROVE);
        assertThat(sequencer.anchorRequests()).as("later reactions run nothing again").hasSize(1);
        assertThat(shownTo("U0DAVE")).anyMatch(text -> text.contains("A-1 is already succeeded; your reaction was not counted."));
        assertThat(timelineOf(TimelineEvent.Type.ACTION)).singleElement().satisfies(event -> {
            assertThat(event.text()).isEqualTo("A-1 anchor-retry succeeded: anchor-retry: HTTP 202");
            assertThat(event.source()).isEqualTo(TimelineEvent.Source.APPROVALS);
            assertThat(event.details()).containsEntry("request", "A-1").containsEntry("hash", request.actionHash());
        });
    }

    @Test
    void two_approvals_arriving_together_in_two_processes_on_one_store_still_run_the_action_once() throws Exception {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-43");
        react("U0BOB", request, APPROVE);
        String message = messageOf(request);
        List<ApprovalService> processes = List.of(approvals, startProcess());

        CyclicBarrier together = new CyclicBarrier(2);
        List<Callable<Boolean>> reactions = new ArrayList<>();
        List<String> approvers = List.of("U0CAROL", "U0DAVE");
        for (int i = 0; i < 2; i++) {
            ApprovalService process = processes.get(i);
            String user = approvers.get(i);
            reactions.add(() -> {
                together.await();
                return process.onReaction(new Inbound.Reaction("slack", user, request.channelId(), message, APPROVE, true));
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (Future<Boolean> handled : pool.invokeAll(reactions)) assertThat(handled.get()).isTrue();
        }
        processes.forEach(this::settle);

        assertThat(sequencer.anchorRequests()).containsExactly("{\"batch_id\":\"batch-43\"}");
        assertThat(stateOf(request)).isEqualTo(ApprovalState.SUCCEEDED);
        assertThat(postedInIncident()).filteredOn(text -> text.contains("A-1 approved by")).hasSize(1);
    }

    @Test
    void the_requesters_reaction_never_counts_even_when_they_are_an_approver() {
        ApprovalRequest request = requestAnchorRetry("bob", "two-approvers", "batch-1");

        react("U0BOB", request, APPROVE);
        assertThat(shownTo("U0BOB")).anyMatch(text -> text.contains("You requested A-1, so your reaction does not count."));
        assertThat(requests.votes(request.id())).isEmpty();

        react("U0CAROL", request, APPROVE);
        assertThat(stateOf(request)).as("bob's reaction is not the second approval").isEqualTo(ApprovalState.PENDING);
        react("U0DAVE", request, APPROVE);
        assertThat(stateOf(request)).isEqualTo(ApprovalState.SUCCEEDED);
        assertThat(postedInIncident()).anyMatch(text -> text.contains("A-1 approved by carol, dave."));
    }

    @Test
    void a_person_without_the_approver_role_does_not_count() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-2");

        react("U0MALLORY", request, APPROVE);

        assertThat(shownTo("U0MALLORY")).containsExactly("Your reaction on A-1 was not counted: approving needs role approver.");
        assertThat(requests.votes(request.id())).isEmpty();
        assertThat(postedInIncident()).noneMatch(text -> text.contains("mallory"));
        assertThat(audit.entries()).anySatisfy(entry -> assertThat(entry)
                .extracting(AuditEntry::actor, AuditEntry::event, AuditEntry::detail)
                .containsExactly("mallory", "approval.ignored", "reaction without an approver role"));
    }

    @Test
    void a_reaction_by_an_unknown_platform_user_does_not_count() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-3");

        react("U0STRANGER", request, APPROVE);
        react("U0BOB", request, APPROVE);

        assertThat(shownTo("U0STRANGER")).singleElement().asString()
                .contains("Your reaction on A-1 was not counted: you are not a configured person")
                .contains("add your slack id to bot/firebreak.yaml");
        assertThat(requests.votes(request.id())).extracting(Vote::person).containsExactly("bob");
        assertThat(stateOf(request)).isEqualTo(ApprovalState.PENDING);
        assertThat(audit.entries()).anySatisfy(entry -> assertThat(entry)
                .extracting(AuditEntry::actor, AuditEntry::event).containsExactly("slack:U0STRANGER", "approval.ignored"));
    }

    @Test
    void a_reject_reaction_rejects_and_nothing_runs() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-4");

        react("U0BOB", request, APPROVE);
        react("U0CAROL", request, REJECT);

        assertThat(stateOf(request)).isEqualTo(ApprovalState.REJECTED);
        assertThat(postedInIncident()).anyMatch(text -> text.contains("A-1 rejected by carol. Nothing was run."));
        react("U0DAVE", request, APPROVE);
        assertThat(shownTo("U0DAVE")).anyMatch(text -> text.contains("A-1 is already rejected; your reaction was not counted."));
        assertThat(sequencer.anchorRequests()).isEmpty();
        assertThat(timelineOf(TimelineEvent.Type.APPROVAL_DECIDED)).singleElement()
                .satisfies(event -> assertThat(event.details()).containsEntry("outcome", "rejected"));
    }

    @Test
    void withdrawing_an_approval_lowers_the_tally_so_the_threshold_is_not_met() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-5");

        react("U0BOB", request, APPROVE);
        unreact("U0BOB", request, APPROVE);
        assertThat(postedInIncident()).anyMatch(text -> text.contains("bob withdrew their approval of A-1 (0/2)"));
        react("U0CAROL", request, APPROVE);

        assertThat(postedInIncident()).anyMatch(text -> text.contains("carol approved A-1 (1/2)"));
        assertThat(requests.votes(request.id())).extracting(Vote::person).containsExactly("carol");
        assertThat(stateOf(request)).isEqualTo(ApprovalState.PENDING);
        assertThat(sequencer.anchorRequests()).isEmpty();
    }

    // ---- expiry

    @Test
    void a_request_is_pending_one_second_before_it_expires_and_expired_at_expires_at() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-6");
        assertThat(request.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));

        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertThat(approvals.expireDue()).isZero();
        react("U0BOB", request, APPROVE);
        assertThat(postedInIncident()).as("a vote one second before expiry counts")
                .anyMatch(text -> text.contains("bob approved A-1 (1/2)"));

        clock.advance(Duration.ofSeconds(1));
        assertThat(approvals.expireDue()).isEqualTo(1);
        assertThat(stateOf(request)).isEqualTo(ApprovalState.EXPIRED);
        assertThat(postedInIncident()).anyMatch(text -> text.contains("A-1 expired without enough approvals. Nothing was run"));
        assertThat(approvals.expireDue()).as("it expires once").isZero();

        react("U0CAROL", request, APPROVE);
        assertThat(shownTo("U0CAROL")).containsExactly("A-1 is already expired; your reaction was not counted.");
        assertThat(sequencer.anchorRequests()).isEmpty();
    }

    @Test
    void a_reaction_at_exactly_expires_at_does_not_count_even_before_the_expiry_job_ran() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-7");
        react("U0BOB", request, APPROVE);

        clock.advance(Duration.ofMinutes(30));
        react("U0CAROL", request, APPROVE);

        assertThat(stateOf(request)).isEqualTo(ApprovalState.EXPIRED);
        assertThat(shownTo("U0CAROL")).containsExactly("A-1 is already expired; your reaction was not counted.");
        assertThat(requests.votes(request.id())).extracting(Vote::person).containsExactly("bob");
        assertThat(sequencer.anchorRequests()).isEmpty();
    }

    // ---- the request message

    @Test
    void the_request_names_who_can_approve_and_warns_when_too_few_can() {
        ApprovalRequest enough = requestAnchorRetry("alice", "three-approvers", "batch-8");
        ApprovalRequest requesterLeftOut = requestAnchorRetry("bob", "three-approvers", "batch-9");
        ApprovalRequest nobody = requestAnchorRetry("alice", "council", "batch-10");

        assertThat(requestMessage(enough)).contains("Can approve: bob, carol, dave")
                .contains("action hash " + enough.actionHash()).doesNotContain("cannot be approved");
        assertThat(requestMessage(requesterLeftOut)).contains("Can approve: carol, dave")
                .contains("Only 2 person(s) can approve this and it needs 3, so it cannot be approved.")
                .contains("Add people with role approver in bot/firebreak.yaml.");
        assertThat(requestMessage(nobody)).contains("Can approve: nobody")
                .contains("Only 0 person(s) can approve this and it needs 2, so it cannot be approved.");
    }

    // ---- the stricter policy

    @Test
    void the_stricter_of_the_command_and_the_target_policy_applies() {
        Optional<String> two = Optional.of("two-approvers");
        Optional<String> three = Optional.of("three-approvers");

        assertThat(approvals.policyFor(two, three)).as("the target asks for more").isEqualTo(three);
        assertThat(approvals.policyFor(three, two)).as("the command asks for more").isEqualTo(three);
        assertThat(approvals.policyFor(two, Optional.empty())).as("the command alone").isEqualTo(two);
        assertThat(approvals.policyFor(Optional.empty(), three)).as("the target alone").isEqualTo(three);
        assertThat(approvals.policyFor(Optional.empty(), Optional.empty())).as("neither: run at once").isEmpty();
    }

    // ---- after a reconnect

    @Test
    void catching_up_after_a_reconnect_counts_reactions_that_were_never_delivered() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-11");
        // while Firebreak was disconnected, bob and carol approved on Slack and the events were lost
        slack.setReactions(request.channelId(), messageOf(request), Map.of(
                APPROVE, List.of(FakeSlackServer.BOT_USER_ID, "U0BOB", "U0CAROL"),
                REJECT, List.of(FakeSlackServer.BOT_USER_ID)));

        approvals.catchUp("slack");
        settle(approvals);

        assertThat(stateOf(request)).isEqualTo(ApprovalState.SUCCEEDED);
        assertThat(sequencer.anchorRequests()).containsExactly("{\"batch_id\":\"batch-11\"}");
        approvals.catchUp("slack");
        settle(approvals);
        assertThat(sequencer.anchorRequests()).as("catching up again runs nothing again").hasSize(1);
    }

    @Test
    void catching_up_withdraws_a_vote_whose_reaction_is_gone() {
        ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-12");
        react("U0BOB", request, APPROVE);
        // bob took his reaction back while Firebreak was disconnected; carol's is still there
        slack.setReactions(request.channelId(), messageOf(request), Map.of(APPROVE, List.of("U0CAROL")));

        approvals.catchUp("slack");

        assertThat(requests.votes(request.id())).extracting(Vote::person).containsExactly("carol");
        assertThat(postedInIncident()).anyMatch(text -> text.contains("bob withdrew their approval"));
        assertThat(stateOf(request)).isEqualTo(ApprovalState.PENDING);
        assertThat(sequencer.anchorRequests()).isEmpty();
    }

    // ---- after a restart

    @Test
    void after_a_restart_an_approved_request_runs_once_and_an_interrupted_unsafe_one_is_reported() {
        ApprovalRequest approved = requestAnchorRetry("alice", "two-approvers", "batch-13");
        ApprovalRequest running = requestAnchorRetry("alice", "two-approvers", "batch-14");
        // the store as the process left it: one request approved (bob and carol voted) but not started, one stopped mid-run
        for (ApprovalRequest r : List.of(approved, running)) {
            requests.putVote(r.id(), new Vote("bob", "U0BOB", Vote.Decision.APPROVE, r.actionHash(), clock.instant()));
            requests.putVote(r.id(), new Vote("carol", "U0CAROL", Vote.Decision.APPROVE, r.actionHash(), clock.instant()));
        }
        requests.transition(approved.id(), ApprovalState.PENDING, ApprovalState.APPROVED, clock.instant(), "approved by bob, carol");
        requests.transition(running.id(), ApprovalState.PENDING, ApprovalState.APPROVED, clock.instant(), "approved by bob, carol");
        requests.transition(running.id(), ApprovalState.APPROVED, ApprovalState.EXECUTING, clock.instant(), null);

        ApprovalService restarted = startProcess();
        restarted.recover();
        restarted.recover();
        settle(restarted);

        assertThat(sequencer.anchorRequests()).containsExactly("{\"batch_id\":\"batch-13\"}");
        assertThat(stateOf(approved)).isEqualTo(ApprovalState.SUCCEEDED);
        assertThat(stateOf(running)).isEqualTo(ApprovalState.UNKNOWN);
        assertThat(postedInIncident()).filteredOn(text -> text.contains("Firebreak stopped while running A-2")).singleElement()
                .asString().contains("It was not repeated").contains("record the outcome with /incident update");
        assertThat(timelineOf(TimelineEvent.Type.APPROVAL_DECIDED)).extracting(event -> event.details().get("outcome"))
                .containsExactly("resumed", "interrupted");
    }

    // ---- replicas

    @Test
    void a_replica_that_lost_the_leadership_runs_no_action_and_the_new_leader_runs_the_approved_one_once() throws Exception {
        // the leadership lock lives in PostgreSQL (skipped without it); the fence asks only the lock's own session
        String lockStore = TestDatabases.freshUrl("postgresql", data);
        AdvisoryLockLeadership.Listener unheeded = new AdvisoryLockLeadership.Listener() {
            @Override
            public void elected() {}

            @Override
            public void deposed() {}
        };
        try (AdvisoryLockLeadership first = new AdvisoryLockLeadership(() -> DriverManager.getConnection(lockStore), unheeded);
             AdvisoryLockLeadership second = new AdvisoryLockLeadership(() -> DriverManager.getConnection(lockStore), unheeded)) {
            first.poll();
            approvals.fence(first::confirm);
            ApprovalRequest request = requestAnchorRetry("alice", "two-approvers", "batch-20");
            react("U0BOB", request, APPROVE);

            // its lock session ends (a long pause, a partition) and the process has not noticed yet
            try (var admin = DriverManager.getConnection(lockStore); var statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' "
                        + "AND objid = (hashtext(current_schema())::int8 & 4294967295)::oid");
            }
            react("U0CAROL", request, APPROVE);
            assertThat(sequencer.anchorRequests()).as("a deposed leader runs no approved action").isEmpty();
            assertThat(stateOf(request)).as("left approved, for the leader").isEqualTo(ApprovalState.APPROVED);

            ActionCommand direct = new ActionCommand(actions, approvals, incidents, timeline, platforms, outbox);
            assertThatThrownBy(() -> direct.handle(directAnchorRetry("batch-21")))
                    .isInstanceOf(InvalidInput.class)
                    .hasMessageContaining("no longer leads")
                    .hasMessageContaining("ran nothing");
            assertThat(sequencer.anchorRequests()).as("nor a direct one").isEmpty();
            assertThat(timelineOf(TimelineEvent.Type.ACTION)).isEmpty();

            second.poll();
            ApprovalService leader = startProcess();
            leader.fence(second::confirm);
            leader.recover();
            settle(leader);
            assertThat(sequencer.anchorRequests()).as("the new leader runs it, once").containsExactly("{\"batch_id\":\"batch-20\"}");
            assertThat(stateOf(request)).isEqualTo(ApprovalState.SUCCEEDED);
        }
    }

    /** {@code /action anchor-now BATCH} in the incident's channel, as a command with no policy (it runs at once). */
    CommandContext directAnchorRetry(String batch) {
        CommandSpec spec = new CommandSpec("action", "anchor-now", "anchor at once", "responder", List.of(), List.of(),
                new CommandSpec.Target(CommandSpec.Kind.ACTION, "http.post"), Map.of("service", "sequencer",
                "path", "/api/v1/ves/anchor", "body.batch_id", batch, "title", "anchor-now"), null, false, "commands/action.yaml");
        return new CommandContext(TEAM.getFirst(), "slack", incident.channelId(), new ParsedCommand(spec, Map.of(), Set.of(),
                Optional.empty()), Optional.empty(), Optional.empty());
    }

    // ---- helpers

    ApprovalRequest requestAnchorRetry(String requester, String policy, String batch) {
        PlannedAction plan = httpPost.plan(Map.of("service", "sequencer", "path", "/api/v1/ves/anchor",
                "body.batch_id", batch, "title", "anchor-retry"));
        ApprovalRequest request = approvals.request("http.post", plan, policy, requester, "slack", incident.channelId(), incident, null);
        outbox.deliverDue();
        return request;
    }

    String messageOf(ApprovalRequest request) {
        return outbox.find(request.outboxId()).orElseThrow().platformMessageId();
    }

    String requestMessage(ApprovalRequest request) {
        return slack.calls("chat.postMessage").stream().filter(call -> messageOf(request).equals(slack.postedTs(call)))
                .map(call -> neutral(call.param("text"))).findFirst().orElseThrow();
    }

    void react(String userId, ApprovalRequest request, String emoji) {
        assertThat(approvals.onReaction(new Inbound.Reaction("slack", userId, request.channelId(), messageOf(request), emoji, true)))
                .as("a reaction on an approval message is the approval gate's").isTrue();
        settle(approvals);
    }

    void unreact(String userId, ApprovalRequest request, String emoji) {
        approvals.onReaction(new Inbound.Reaction("slack", userId, request.channelId(), messageOf(request), emoji, false));
        settle(approvals);
    }

    /** Approved actions run on threads of their own: waits for what the last call set off, then delivers. */
    void settle(ApprovalService process) {
        process.awaitExecutions(0, Duration.ofSeconds(15));
        outbox.deliverDue();
    }

    ApprovalState stateOf(ApprovalRequest request) {
        return requests.find(request.id()).orElseThrow().state();
    }

    /** What Firebreak posted in the incident's channel, oldest first. */
    List<String> postedInIncident() {
        outbox.deliverDue();
        return slack.calls("chat.postMessage").stream().filter(call -> incident.channelId().equals(call.param("channel")))
                .map(call -> neutral(call.param("text"))).toList();
    }

    /** What only this Slack user was shown, oldest first. */
    List<String> shownTo(String userId) {
        return slack.calls("chat.postEphemeral").stream().filter(call -> userId.equals(call.param("user")))
                .map(call -> neutral(call.param("text"))).toList();
    }

    List<TimelineEvent> timelineOf(TimelineEvent.Type type) {
        return incidents.timeline(incident).stream().filter(event -> event.type() == type).toList();
    }

    static String neutral(String text) {
        return text.replace("*", "");
    }
}
