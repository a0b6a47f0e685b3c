package dev.firebreak.command;

import dev.firebreak.app.Firebreak;
import dev.firebreak.app.MutableClock;
import dev.firebreak.audit.AuditEntry;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.Reply;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.LogCapture;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.chat.slack.SlackPayloads;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcIncidentRepository;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The command path on its own: {@link CommandDispatcher} (person, parse, permission, handler)
 * over the repository's {@code commands/}, with the real feature handlers behind it, wired as
 * {@code Firebreak.assemble} wires them, on a SQLite store and the local Slack stand-in.
 */
class CommandsTest {

    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");
    static final String INCIDENTS = "C0INCIDENTS";
    static final FirebreakConfig CONFIG = new ConfigLoader(Path.of("."), Map.of()).load();
    static final People PEOPLE = new People(List.of(
            new Person("alice", "Alice", List.of("commander", "responder"), Map.of("slack", "U0ALICE")),
            new Person("bob", "Bob", List.of("responder", "approver"), Map.of("slack", "U0BOB")),
            new Person("mallory", "Mallory", List.of(), Map.of("slack", "U0MALLORY"))));
    static final Map<String, Runbook> RUNBOOKS = Map.of(
            "nested", new Runbook("nested", "Starts another runbook", null, List.of(), List.of(), List.of(
                    new Runbook.Step("/runbook list", null, null, null, null, null, null)), false),
            "batcher", new Runbook("batcher", "Restart the batcher", null, List.of(), List.of(), List.of(
                    new Runbook.Step("/incident update Restarted the batcher", null, null, null, null, null, null)), false));

    @TempDir
    Path data;

    final MutableClock clock = new MutableClock(T0);
    FakeSlackServer slack;
    Database database;
    Firebreak firebreak;
    Outbox outbox;
    AuditLog audit;
    JdbcIncidentRepository incidents;
    CommandDispatcher commands;

    /** Firebreak as Main wires it, on the repository's commands with this test's people and runbooks. */
    @BeforeEach
    void wire() {
        slack = FakeSlackServer.start();
        slack.addChannel(INCIDENTS, "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        database = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        ChatPlatform platform = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-commands-test",
                "SLACK_APP_TOKEN", "xapp-commands-test", "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, clock,
                new JdbcDeliveryLog(database, clock)).orElseThrow().platform();
        FirebreakConfig config = new FirebreakConfig(CONFIG.channels(), CONFIG.roles(), List.copyOf(PEOPLE.all()), CONFIG.severities(),
                CONFIG.policies(), CONFIG.services(), CONFIG.chains(), CONFIG.clusters(), CONFIG.databases(), CONFIG.commands(),
                RUNBOOKS, CONFIG.templates(), CONFIG.alerts(), SnapshotConfig.none(), CONFIG.statusPage(), CONFIG.watchers(), CONFIG.schedules(), CONFIG.oncall());
        firebreak = Firebreak.assemble(config, database, clock, List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)),
                new SimpleMeterRegistry());
        outbox = firebreak.outbox();
        commands = firebreak.commands();
        audit = new JdbcAuditLog(database, clock);
        incidents = new JdbcIncidentRepository(database);
    }

    @AfterEach
    void close() {
        firebreak.close();
        database.close();
        slack.close();
    }

    // ---- refusals change nothing

    @Test
    void an_unknown_person_is_told_how_to_be_added_and_nothing_changes() {
        Everything before = everything();

        Outcome outcome = type("U0STRANGER", INCIDENTS, "/incident declare P1 RPC latency high");

        assertRefusedPrivately(outcome, "Firebreak does not know you (slack id U0STRANGER). "
                + "Ask an admin to add that id to your entry in bot/firebreak.yaml.");
        assertUnchanged(before);
    }

    @Test
    void a_usage_error_is_answered_privately_with_the_usage_line_and_nothing_changes() {
        Everything before = everything();

        Outcome unknownSeverity = type("U0ALICE", INCIDENTS, "/incident declare P9 Something odd");
        Outcome missingTitle = type("U0ALICE", INCIDENTS, "/incident declare P1");

        assertRefusedPrivately(unknownSeverity, "Unknown severity \"P9\"; use one of P0, P1, P2, P3.\n"
                + "Usage: /incident declare [--security] [--new] SEVERITY TITLE...");
        assertRefusedPrivately(missingTitle, "Missing TITLE (what is happening).\n"
                + "Usage: /incident declare [--security] [--new] SEVERITY TITLE...");
        assertUnchanged(before);
    }

    @Test
    void a_page_is_asked_for_with_a_number_and_only_of_output_that_comes_in_pages() {
        Everything before = everything();

        Outcome noNumber = type("U0ALICE", INCIDENTS, "/diag block --page");
        Outcome notANumber = type("U0ALICE", INCIDENTS, "/diag block --page two");
        Outcome listNotANumber = type("U0ALICE", INCIDENTS, "/incident list two");
        Outcome zero = type("U0ALICE", INCIDENTS, "/diag block --page=0");
        Outcome listZero = type("U0ALICE", INCIDENTS, "/incident list 0");
        Outcome pastTheEnd = type("U0ALICE", INCIDENTS, "/diag block --page 99999999999");
        Outcome notPaged = type("U0ALICE", INCIDENTS, "/incident declare --page 2 P1 Something odd");

        assertRefusedPrivately(noNumber, "PAGE must be a whole number, e.g. --page 2.\nUsage: /diag block [CHAIN]");
        assertRefusedPrivately(notANumber, "PAGE must be a whole number, got \"two\".\nUsage: /diag block [CHAIN]");
        assertRefusedPrivately(listNotANumber, "PAGE must be a whole number, got \"two\".\nUsage: /incident list [PAGE]");
        // the number is judged in one place, by the answer that knows how many pages there are
        assertThat(zero).isInstanceOf(Outcome.Refused.class);
        assertThat(zero.summary()).matches("There is 1 page of \\d+ lines; ask for one of them, e.g. /diag block --page 1\\.");
        assertThat(pastTheEnd.summary()).isEqualTo(zero.summary());
        assertThat(listZero.summary()).isEqualTo("There is 1 page of 0 incidents; ask for one of them, e.g. /incident list 1.");
        assertThat(notPaged.summary()).startsWith("Unknown option --page.");
        // a page number is known to be out of range only once the probe has read: that read is on the audit log, nothing else changed
        Everything now = everything();
        assertThat(now.audit()).extracting(AuditEntry::detail)
                .containsExactly("/diag block --page=0", "/diag block --page 99999999999");
        assertThat(now.incidents()).as("incidents").isEqualTo(before.incidents());
        assertThat(now.timelines()).as("their timelines").isEqualTo(before.timelines());
        assertThat(now.outboxDepth()).as("the outbox").isZero();
        assertThat(now.slackCalls()).as("calls to Slack").isEqualTo(before.slackCalls());
    }

    @Test
    void a_permission_denial_names_the_role_needed_and_the_roles_held_and_nothing_changes() {
        Incident incident = declare("P1 RPC latency high");
        Everything before = everything();

        Outcome mallory = type("U0MALLORY", INCIDENTS, "/incident declare P1 Not allowed");
        Outcome bob = type("U0BOB", incident.channelId(), "/incident resolve It fixed itself");

        assertRefusedPrivately(mallory, "/incident declare needs the role responder; you have no roles. "
                + "Ask the incident commander to run it, or an admin to grant the role.");
        assertRefusedPrivately(bob, "/incident resolve needs the role commander; you have the roles responder, approver, and you are not the commander of this incident. "
                + "Ask the incident commander to run it, or an admin to grant the role.");
        assertUnchanged(before);
        assertThat(incidents.find(incident.number()).orElseThrow().open()).isTrue();
    }

    @Test
    void invalid_input_is_answered_privately_with_what_to_fix_and_nothing_changes() {
        Incident incident = declare("P1 RPC latency high");
        Everything before = everything();

        Outcome resolveByStatus = type("U0ALICE", incident.channelId(), "/incident status resolved");
        Outcome noSuchIncident = type("U0ALICE", incident.channelId(), "/incident update INC-99 Looking into it");
        Outcome notInAnIncident = type("U0ALICE", INCIDENTS, "/incident update Looking into it");

        assertRefusedPrivately(resolveByStatus, "Resolve with /incident resolve <root cause>, so the resolution notice is posted.");
        assertRefusedPrivately(noSuchIncident, "There is no incident INC-99; /incident list shows the open ones.");
        assertRefusedPrivately(notInAnIncident, "Run this in an incident channel, or name the incident: /incident update INC-<number> ...");
        assertUnchanged(before);
    }

    @Test
    void a_channel_the_platform_refuses_is_answered_with_why_and_nothing_changes() {
        slack.failNext("conversations.create", FakeSlackServer.Failure.error("restricted_action"));
        Everything before = everything();

        Outcome outcome = type("U0ALICE", INCIDENTS, "/incident declare P1 RPC latency high");

        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(outcome.reply().visibility()).isEqualTo(Reply.Visibility.PRIVATE);
        assertThat(outcome.summary()).matches("The incident channel #inc-\\d{8}-rpc-latency-high could not be created: .*restricted_action"
                + "; a workspace setting forbids this; ask a Slack admin\\. No incident was declared; try again\\.");
        Everything after = everything();
        assertThat(after.incidents()).as("the incident reserved for the channel was withdrawn").isEqualTo(before.incidents());
        assertThat(after.audit()).isEqualTo(before.audit());
        assertThat(after.outboxDepth()).isZero();
    }

    @Test
    void an_unexpected_failure_is_refused_with_an_error_reference_and_no_stack_trace() {
        // Slack says ok but names no channel: a failure nobody planned for
        slack.failNext("conversations.create", FakeSlackServer.Failure.answer("{\"ok\":true}"));
        Everything before = everything();

        Outcome outcome;
        List<String> logged;
        try (LogCapture log = LogCapture.everything()) {
            outcome = type("U0ALICE", INCIDENTS, "/incident declare P1 RPC latency high");
            logged = log.lines();
        }

        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(outcome.reply().visibility()).isEqualTo(Reply.Visibility.PRIVATE);
        Matcher reply = Pattern.compile("Something went wrong inside Firebreak running that command \\(error (E-[0-9a-z]+), "
                + "details in the bot's log\\)\\. Nothing further was changed\\.").matcher(outcome.summary());
        assertThat(reply.matches()).as(outcome.summary()).isTrue();
        assertThat(outcome.summary()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(logged).anySatisfy(line -> assertThat(line)
                .contains("Command failed [" + reply.group(1) + "]: /incident declare P1 RPC latency high")
                .contains("NullPointerException"));
        Everything after = everything();
        assertThat(after.incidents()).as("the incident reserved for the channel was withdrawn").isEmpty();
        assertThat(after.audit()).isEqualTo(before.audit());
        assertThat(after.outboxDepth()).isZero();
    }

    // ---- runbook steps

    @Test
    void a_runbook_step_cannot_run_a_runbook_command() {
        Incident incident = declare("P1 RPC latency high");

        assertThat(type("U0ALICE", incident.channelId(), "/runbook list")).as("from chat it runs")
                .isInstanceOf(Outcome.Done.class);
        Outcome started = type("U0ALICE", incident.channelId(), "/runbook run nested");

        assertThat(started.summary()).isEqualTo("Runbook nested R-1: held.");
        assertThat(postedIn(incident.channelId())).anyMatch(text -> text.contains(
                "Runbook nested (R-1) is held at step 1: Step 1/1 `/runbook list` could not run: /runbook list cannot run as a runbook "
                        + "step. Once that is fixed, `/runbook continue R-1` runs it again, or `/runbook abandon R-1` ends it."));
        String why = "Runbook nested (R-1) is held at step 1: Step 1/1 `/runbook list` could not run: /runbook list cannot run";
        assertThat(incidents.timeline(incident.number())).as("the hold and its reason are on the timeline")
                .anyMatch(event -> event.type() == TimelineEvent.Type.RUNBOOK && event.text().startsWith(why));
        Outcome status = type("U0ALICE", incident.channelId(), "/incident status");
        assertThat(status.reply().message().plainText()).as("/incident status lists the held run with its reason")
                .contains(why);
    }

    @Test
    void the_audit_log_records_commands_typed_in_chat_but_not_runbook_steps() {
        Incident incident = declare("P1 RPC latency high");

        type("U0BOB", incident.channelId(), "/incident update Restarted op-node");
        type("U0ALICE", incident.channelId(), "/runbook run batcher");

        assertThat(audit.entries()).filteredOn(entry -> entry.event().equals("command"))
                .extracting(AuditEntry::actor, AuditEntry::detail)
                .containsExactly(tuple("alice", "/incident declare P1 RPC latency high"),
                        tuple("bob", "/incident update Restarted op-node"),
                        tuple("alice", "/runbook run batcher"));
        List<TimelineEvent> timeline = incidents.timeline(incident.number());
        assertThat(timeline).as("the timeline keeps what happened, not command lines")
                .noneMatch(event -> event.text().startsWith("/"));
        assertThat(timeline).filteredOn(event -> event.type() == TimelineEvent.Type.UPDATE)
                .extracting(TimelineEvent::text).containsExactly("Restarted op-node", "Restarted the batcher");
    }

    @Test
    void a_diagnostic_is_journaled_whatever_its_probe_found_but_not_when_it_refused_the_arguments() {
        Outcome failed = type("U0ALICE", INCIDENTS, "/diag health eigenda");   // nothing answers at EIGENDA_URL's default
        Outcome refused = type("U0BOB", INCIDENTS, "/diag block nosuchchain");

        assertThat(failed).isInstanceOf(Outcome.Done.class);
        assertThat(((Outcome.Done) failed).status()).isEqualTo("ERROR");
        assertRefusedPrivately(refused, "unknown chain 'nosuchchain'; configured chains: devnet");
        assertThat(audit.entries()).filteredOn(entry -> entry.event().equals("command"))
                .extracting(AuditEntry::actor, AuditEntry::subject, AuditEntry::detail)
                .containsExactly(tuple("alice", "slack:" + INCIDENTS, "/diag health eigenda"));
        assertThat(postedIn(INCIDENTS)).singleElement().asString().contains("/diag health eigenda");
    }

    // ---- help

    @Test
    void help_shows_only_what_the_person_may_run() {
        Outcome mallorys = type("U0MALLORY", INCIDENTS, "/help");
        Outcome alices = type("U0ALICE", INCIDENTS, "/help");
        Outcome malloryOnActions = type("U0MALLORY", INCIDENTS, "/help action");

        assertThat(mallorys.reply().visibility()).isEqualTo(Reply.Visibility.PRIVATE);
        assertThat(neutral(mallorys)).contains("/incident: Declare and run incidents\nack, timeline, postmortem, handoff, list")
                .doesNotContain("declare").doesNotContain("resolve").doesNotContain("anchor-retry").doesNotContain("pause");
        assertThat(neutral(alices)).contains("declare").contains("resolve").contains("/action");
        assertThat(neutral(malloryOnActions)).contains("/action pending").doesNotContain("anchor-retry").doesNotContain("pause");
    }

    // ---- helpers

    /** What a refusal must leave as it was: the store (incidents, their timelines, the audit log), the outbox and Slack. */
    record Everything(List<Incident> incidents, List<List<TimelineEvent>> timelines, List<AuditEntry> audit,
                      long outboxDepth, List<FakeSlackServer.Call> slackCalls) {}

    Everything everything() {
        outbox.deliverDue();
        List<Incident> all = incidents.open();
        List<List<TimelineEvent>> timelines = new ArrayList<>();
        for (Incident incident : all) timelines.add(incidents.timeline(incident.number()));
        return new Everything(all, timelines, audit.entries(), outbox.depth(), slack.calls());
    }

    void assertUnchanged(Everything before) {
        Everything now = everything();
        assertThat(now.incidents()).as("incidents").isEqualTo(before.incidents());
        assertThat(now.timelines()).as("their timelines").isEqualTo(before.timelines());
        assertThat(now.audit()).as("the audit log").isEqualTo(before.audit());
        assertThat(now.outboxDepth()).as("the outbox").isZero();
        assertThat(now.slackCalls()).as("calls to Slack").isEqualTo(before.slackCalls());
    }

    Outcome type(String slackUser, String channelId, String line) {
        Outcome outcome = commands.fromChat("slack", slackUser, channelId, line);
        outbox.deliverDue();
        return outcome;
    }

    Incident declare(String severityAndTitle) {
        assertThat(type("U0ALICE", INCIDENTS, "/incident declare " + severityAndTitle)).isInstanceOf(Outcome.Done.class);
        return incidents.open().getLast();
    }

    static void assertRefusedPrivately(Outcome outcome, String text) {
        assertThat(outcome).isInstanceOf(Outcome.Refused.class);
        assertThat(outcome.reply().visibility()).isEqualTo(Reply.Visibility.PRIVATE);
        assertThat(outcome.summary()).isEqualTo(text);
    }

    /** A reply as a person reads it. */
    static String neutral(Outcome outcome) {
        return outcome.summary().replace("*", "");
    }

    List<String> postedIn(String channelId) {
        outbox.deliverDue();
        return slack.calls("chat.postMessage").stream().filter(call -> channelId.equals(call.param("channel")))
                .map(call -> call.param("text").replace("*", "")).toList();
    }
}
