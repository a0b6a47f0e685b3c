package dev.firebreak.incident;

import dev.firebreak.app.MutableClock;
import dev.firebreak.audit.AuditEntry;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.chat.Reply;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.chat.slack.SlackPayloads;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.Outcome;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.incident.TimelineEvent.Source;
import dev.firebreak.incident.TimelineEvent.Type;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.JdbcAuditLog;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.store.JdbcStatusPageStore;
import dev.firebreak.status.StatusPage;
import dev.firebreak.store.JdbcOutboxStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The incident feature on its own: {@link IncidentService}, the {@code /incident} handlers of
 * {@link IncidentCommands} and {@link IncidentPins}, on a SQLite store, posting through the real
 * outbox to the real Slack client against the local Slack stand-in, with the repository's
 * severities, commands and templates and a clock the test moves.
 */
class IncidentsTest {

    static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");
    static final String INCIDENTS = "C0INCIDENTS";
    static final FirebreakConfig CONFIG = new ConfigLoader(Path.of("."), Map.of()).load();
    static final People PEOPLE = new People(List.of(
            new Person("alice", "Alice", List.of("commander", "responder"), Map.of("slack", "U0ALICE")),
            new Person("bob", "Bob", List.of("responder", "approver"), Map.of("slack", "U0BOB")),
            new Person("carol", "Carol", List.of("responder", "approver"), Map.of("slack", "U0CAROL"))));

    @TempDir
    Path data;

    final MutableClock clock = new MutableClock(T0);
    FakeSlackServer slack;
    Database database;
    Outbox outbox;
    AuditLog audit;
    IncidentTimeline timeline;
    IncidentService incidents;
    IncidentPins pins;
    Map<String, CommandHandler> handlers;

    @BeforeEach
    void wire() {
        slack = FakeSlackServer.start();
        slack.addChannel(INCIDENTS, "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        database = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        ChatPlatform platform = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-incidents-test",
                "SLACK_APP_TOKEN", "xapp-incidents-test", "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, clock,
                new JdbcDeliveryLog(database, clock)).orElseThrow().platform();
        outbox = new Outbox(new JdbcOutboxStore(database), clock);
        outbox.register(platform, Duration.ZERO);
        ChatPlatforms platforms = new ChatPlatforms();
        platforms.add(platform, "incidents", "ops-alerts");
        audit = new JdbcAuditLog(database, clock);
        JdbcIncidentRepository store = new JdbcIncidentRepository(database);
        timeline = new IncidentTimeline(store, audit, clock);
        incidents = new IncidentService(store, CONFIG.severities(), PEOPLE, platforms, outbox, CONFIG.templates(), timeline,
                clock, "inc", List.of());
        handlers = new IncidentCommands(incidents, outbox, new PostPages(outbox), (title, security) -> List.of(), List.of(),
                new StatusPage(CONFIG.statusPage(), new JdbcStatusPageStore(database), incidents, outbox, CONFIG.templates(), clock),
                clock).handlers();
        pins = new IncidentPins(incidents, PEOPLE, outbox);
    }

    @AfterEach
    void close() {
        database.close();
        slack.close();
    }

    // ---- declaring

    @Test
    void an_invite_refused_for_a_moment_is_tried_again_and_a_refused_one_is_said_once() {
        slack.failNext("conversations.invite", FakeSlackServer.Failure.rateLimited(0));
        run("alice", INCIDENTS, "declare", Map.of("severity", "P1", "title", "RPC latency high"));
        String channel = incidents.find(1).orElseThrow().channelId();
        assertThat(slack.calls("conversations.invite")).as("the rate-limited invite, then the one that let alice in").hasSize(2);
        assertThat(postsIn(channel)).noneSatisfy(post -> assertThat(text(post)).contains("Not everyone could be added"));

        slack.failNext("conversations.invite", FakeSlackServer.Failure.error("restricted_action"));
        run("alice", INCIDENTS, "declare", Map.of("severity", "P1", "title", "sequencer stalled"));
        String second = incidents.find(2).orElseThrow().channelId();
        assertThat(slack.calls("conversations.invite")).as("a refusal is not tried again").hasSize(3);
        assertThat(postsIn(second)).filteredOn(post -> text(post).contains("Not everyone could be added")).hasSize(1);
    }

    @Test
    void declaring_creates_the_incident_channel_pins_the_kickoff_and_announces_it() {
        Outcome declared = run("alice", INCIDENTS, "declare", Map.of("severity", "P1", "title", "RPC latency high"));

        assertThat(declared.summary()).isEqualTo("Declared INC-1 [P1] in #inc-20261123-rpc-latency-high.");
        FakeSlackServer.Call created = slack.calls("conversations.create").getFirst();
        assertThat(created.param("name")).isEqualTo("inc-20261123-rpc-latency-high");
        assertThat(slack.calls("conversations.invite").getFirst().param("users")).isEqualTo("U0ALICE");
        String channel = incidents.find(1).orElseThrow().channelId();

        FakeSlackServer.Call kickoff = postsIn(channel).getFirst();
        assertThat(text(kickoff)).contains("INC-1 [P1] RPC latency high").contains("Declared by alice")
                .contains("Commander: alice").contains("status update every 30m");
        assertThat(slack.calls("pins.add")).singleElement().satisfies(pin -> {
            assertThat(pin.param("channel")).isEqualTo(channel);
            assertThat(pin.param("timestamp")).isEqualTo(slack.postedTs(kickoff));
        });
        assertThat(textsIn(INCIDENTS)).singleElement().asString()
                .endsWith("INC-1 [P1] RPC latency high declared by alice. Join #inc-20261123-rpc-latency-high.");
        assertThat(incidents.timeline(incidents.find(1).orElseThrow())).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(Type.DECLARED);
            assertThat(event.source()).isEqualTo(Source.PERSON);
            assertThat(event.actor()).isEqualTo("alice");
        });
        assertThat(incidents.holder(1, "commander")).hasValue("alice");
    }

    // ---- status updates

    @Test
    void an_update_is_posted_in_the_incident_channel_and_the_incidents_channel() {
        Incident incident = declare("P1 RPC latency high", false);

        Outcome updated = run("bob", incident.channelId(), "update", Map.of("text", "Failed over to the backup RPC provider"));

        assertThat(updated.summary()).isEqualTo("Update posted for INC-1.");
        for (String channel : List.of(incident.channelId(), INCIDENTS)) {
            assertThat(textsIn(channel)).as("posted in " + channel).filteredOn(t -> t.contains("INC-1 update (P1, investigating) from bob"))
                    .singleElement().asString().contains("Failed over to the backup RPC provider")
                    .contains("Next update due by 2026-11-23 03:30 UTC");
        }
        assertThat(eventsOf(incident, Type.UPDATE)).extracting(TimelineEvent::text)
                .containsExactly("Failed over to the backup RPC provider");
    }

    @Test
    void a_security_incident_keeps_its_updates_and_status_out_of_the_incidents_channel() {
        Incident incident = declare("P0 Signer key leaked", true);
        List<String> announced = textsIn(INCIDENTS);

        run("bob", incident.channelId(), "update", Map.of("text", "Rotated the signer key"));
        run("bob", incident.channelId(), "status", Map.of("status", "identified"));

        assertThat(announced).singleElement().asString().contains("security incident declared by alice")
                .doesNotContain("Signer key").doesNotContain(incident.channelName());
        assertThat(textsIn(INCIDENTS)).as("nothing more in #incidents").isEqualTo(announced);
        assertThat(textsIn(incident.channelId())).anyMatch(t -> t.contains("Rotated the signer key"))
                .anyMatch(t -> t.contains("INC-1 status is now identified"));
        assertThat(slack.calls("conversations.create").getFirst().param("is_private")).isIn("1", "true");
    }

    @Test
    void status_and_severity_changes_are_typed_timeline_events_by_the_person() {
        Incident incident = declare("P1 RPC latency high", false);

        run("bob", incident.channelId(), "status", Map.of("status", "monitoring"));
        run("alice", incident.channelId(), "severity", Map.of("severity", "P0"));

        assertThat(eventsOf(incident, Type.STATUS)).singleElement().satisfies(event -> {
            assertThat(event.text()).isEqualTo("Status investigating -> monitoring");
            assertThat(event.actor()).isEqualTo("bob");
            assertThat(event.source()).isEqualTo(Source.PERSON);
        });
        assertThat(eventsOf(incident, Type.SEVERITY)).singleElement().satisfies(event -> {
            assertThat(event.text()).isEqualTo("Severity P1 -> P0");
            assertThat(event.actor()).isEqualTo("alice");
            assertThat(event.source()).isEqualTo(Source.PERSON);
        });
        assertThat(audit.entries()).extracting(AuditEntry::event).contains("incident.status", "incident.severity");
        assertThat(incidents.find(1).orElseThrow()).extracting(Incident::status, Incident::severity)
                .containsExactly(IncidentStatus.MONITORING, "P0");
        assertThat(textsIn(INCIDENTS)).anyMatch(t -> t.contains("INC-1 status is now monitoring (set by bob)"))
                .anyMatch(t -> t.contains("INC-1 severity is now P0"));
    }

    // ---- cadence

    @Test
    void a_reminder_comes_once_when_the_update_cadence_passes_and_an_update_restarts_the_cadence() {
        Incident incident = declare("P1 RPC latency high", false);

        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertThat(incidents.remindOverdue()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(incidents.remindOverdue()).extracting(Incident::id).containsExactly("INC-1");
        assertThat(incidents.remindOverdue()).as("once per missed interval").isEmpty();
        clock.advance(Duration.ofMinutes(29));
        assertThat(incidents.remindOverdue()).isEmpty();

        assertThat(textsIn(incident.channelId())).filteredOn(t -> t.contains("status update is overdue")).singleElement()
                .asString().contains("P1 updates every 30m; last one 30m ago");
        assertThat(eventsOf(incident, Type.REMINDER)).singleElement().satisfies(event -> {
            assertThat(event.source()).isEqualTo(Source.CLOCK);
            assertThat(event.actor()).isEqualTo(IncidentService.BOT);
        });

        run("bob", incident.channelId(), "update", Map.of("text", "Still failing over"));
        clock.advance(Duration.ofMinutes(30).minusSeconds(1));
        assertThat(incidents.remindOverdue()).as("the update restarted the cadence").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(incidents.remindOverdue()).hasSize(1);
        assertThat(eventsOf(incident, Type.REMINDER)).hasSize(2);
    }

    // ---- resolving

    @Test
    void a_resolved_incident_refuses_updates_with_a_clear_message_and_changes_nothing() {
        Incident incident = declare("P2 Bridge deposits delayed", false);
        run("alice", incident.channelId(), "resolve", Map.of("root_cause", "Relayer ran out of gas"));
        assertThat(textsIn(incident.channelId())).anyMatch(t -> t.contains("Root cause: Relayer ran out of gas"));
        List<TimelineEvent> before = incidents.timeline(incident);
        int posted = slack.calls("chat.postMessage").size();

        assertThatThrownBy(() -> run("bob", incident.channelId(), "update", Map.of("text", "It is back")))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("INC-1 is resolved; declare a new incident if it came back.");
        assertThat(incidents.timeline(incident)).isEqualTo(before);
        assertThat(slack.calls("chat.postMessage")).hasSize(posted);
    }

    @Test
    void the_post_mortem_draft_lists_actions_from_action_events_only() {
        Incident incident = declare("P1 Anchoring lag", false);
                incidents.record(incident, "carol", Type.NOTE, "Pinned: anchor-retry succeeded, says the dashboard");
        timeline.record(incident, TimelineEntry.of(Type.ACTION, IncidentService.BOT, "A-1 anchor-retry succeeded: HTTP 202")
                .from(Source.APPROVALS).with("request", "A-1"));

        String draft = incidents.postmortemDraft(incident);

        String resolution = draft.substring(draft.indexOf("## Resolution") + "## Resolution".length(),
                draft.indexOf("## Lessons Learned")).strip();
        assertThat(resolution).isEqualTo("- A-1 anchor-retry succeeded: HTTP 202");
        assertThat(draft).contains("carol: Pinned: anchor-retry succeeded");
    }

    // ---- which incident

    @Test
    void naming_an_incident_that_does_not_exist_is_invalid_input_pointing_at_incident_list() {
        declare("P1 RPC latency high", false);

        CommandContext ctx = context("bob", INCIDENTS, "update", Map.of("text", "hello"), Optional.of(99L));

        assertThatThrownBy(() -> incidents.ofCommand(ctx)).isInstanceOf(InvalidInput.class)
                .hasMessage("There is no incident INC-99; /incident list shows the open ones.");
        assertThat(incidents.ofCommand(context("bob", INCIDENTS, "update", Map.of("text", "hello"), Optional.of(1L))))
                .map(Incident::id).hasValue("INC-1");
        assertThat(incidents.ofCommand(context("bob", INCIDENTS, "update", Map.of("text", "hello"), Optional.empty())))
                .as("#incidents is no incident's channel").isEmpty();
    }

    // ---- long answers page

    @Test
    void a_long_timeline_goes_out_a_page_per_post_with_the_command_for_the_next_page() {
        Incident incident = declare("P1 RPC latency high", false);
        for (int i = 1; i < 50; i++) {
            incidents.record(incident, "bob", Type.NOTE, "note " + i + ": failover to the backup RPC provider, checking the heads again");
        }
        int before = postsIn(incident.channelId()).size();

        Outcome first = run("bob", incident.channelId(), "timeline", Map.of());
        assertThat(first.summary()).isEqualTo("Timeline of INC-1 posted (page 1 of 3, 50 events).");
        assertThat(postsIn(incident.channelId())).as("one post, not a burst of parts").hasSize(before + 1);
        String page1 = textsIn(incident.channelId()).getLast();
        assertThat(page1).contains("note 19:").doesNotContain("note 20:")
                .contains("Page 1 of 3 (events 1-20 of 50). More: /incident timeline 2");

        run("bob", incident.channelId(), "timeline", Map.of("page", "3"));
        assertThat(textsIn(incident.channelId()).getLast()).contains("note 49:").doesNotContain("note 39:")
                .contains("Page 3 of 3 (events 41-50 of 50).").doesNotContain("More:");

        int posted = postsIn(incident.channelId()).size();
        assertThatThrownBy(() -> run("bob", incident.channelId(), "timeline", Map.of("page", "4")))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("There are 3 pages of 50 events; ask for one of them, e.g. /incident timeline 3.");
        assertThat(postsIn(incident.channelId())).as("nothing posted for a page that is not there").hasSize(posted);
    }

    @Test
    void a_long_post_mortem_draft_goes_out_a_page_per_post() {
        Incident incident = declare("P1 RPC latency high", false);
        for (int i = 1; i < 120; i++) {
            incidents.record(incident, "bob", Type.UPDATE, "update " + i + ": failover to the backup RPC provider, checking the heads again");
        }
        int before = postsIn(incident.channelId()).size();
        Outcome first = run("bob", incident.channelId(), "postmortem", Map.of());
        assertThat(first.summary()).matches("Post-mortem draft posted \\(page 1 of [3-9]\\)\\.");
        assertThat(postsIn(incident.channelId())).as("one post, not a burst of parts").hasSize(before + 1);
        assertThat(textsIn(incident.channelId()).getLast()).contains("More: /incident postmortem 2");
        int pages = Integer.parseInt(first.summary().replaceAll("\\D+", " ").strip().split(" ")[1]);
        StringBuilder shown = new StringBuilder(textsIn(incident.channelId()).getLast());
        for (int page = 2; page <= pages; page++) {
            int posted = postsIn(incident.channelId()).size();
            run("bob", incident.channelId(), "postmortem", Map.of("page", String.valueOf(page)));
            assertThat(postsIn(incident.channelId())).as("page " + page + " is one post").hasSize(posted + 1);
            shown.append(textsIn(incident.channelId()).getLast());
        }
        for (int i = 1; i < 120; i++) {
            assertThat(shown.toString().split("update " + i + ": failover", -1)).as("update " + i + " on exactly one page").hasSize(2);
        }
    }

    @Test
    void the_open_incidents_are_listed_a_page_at_a_time() {
        for (int i = 1; i <= 25; i++) {
            run("alice", INCIDENTS, "declare", Map.of("severity", "P2", "title", "disk filling on node " + i), Set.of("new"));
        }

        String page1 = replyText(run("bob", INCIDENTS, "list", Map.of()));
        assertThat(page1).contains("INC-20 ").doesNotContain("INC-21 ")
                .contains("Page 1 of 2 (incidents 1-20 of 25). More: /incident list 2");
        String page2 = replyText(run("bob", INCIDENTS, "list", Map.of("page", "2")));
        assertThat(page2).contains("INC-21 ").contains("INC-25 ").doesNotContain("INC-20 ").doesNotContain("More:");
    }

    // ---- pins

    @Test
    void a_pushpin_puts_the_pinned_messages_text_on_the_timeline() {
        Incident incident = declare("P1 Sequencer stalled", false);
        pins.onMessage(new Inbound.ChannelMessage("slack", "U0BOB", incident.channelId(), "1700000000.000900",
                "Sequencer restarted at 03:12, blocks flowing again"));

        boolean pinned = pins.onReaction(new Inbound.Reaction("slack", "U0CAROL", incident.channelId(), "1700000000.000900",
                "pushpin", true));

        assertThat(pinned).isTrue();
        assertThat(eventsOf(incident, Type.NOTE)).singleElement().satisfies(event -> {
            assertThat(event.text()).isEqualTo("Pinned: Sequencer restarted at 03:12, blocks flowing again");
            assertThat(event.actor()).isEqualTo("carol");
        });
        assertThat(textsIn(incident.channelId())).anyMatch(t -> t.endsWith("Added to the timeline of INC-1."));
    }

    @Test
    void a_pushpin_outside_an_incident_channel_or_by_a_stranger_is_not_a_pin() {
        Incident incident = declare("P1 Sequencer stalled", false);
        int events = incidents.timeline(incident).size();

        assertThat(pins.onReaction(new Inbound.Reaction("slack", "U0CAROL", INCIDENTS, "1700000000.000901", "pushpin", true)))
                .isFalse();
        assertThat(pins.onReaction(new Inbound.Reaction("slack", "U0STRANGER", incident.channelId(), "1700000000.000902",
                "pushpin", true))).isFalse();
        assertThat(pins.onReaction(new Inbound.Reaction("slack", "U0CAROL", incident.channelId(), "1700000000.000903",
                "eyes", true))).isFalse();

        assertThat(incidents.timeline(incident)).hasSize(events);
    }

    // ---- helpers

    /** Declares an incident as alice from #incidents: "P1 title words". */
    Incident declare(String severityAndTitle, boolean security) {
        String[] parts = severityAndTitle.split(" ", 2);
        run("alice", INCIDENTS, "declare", Map.of("severity", parts[0], "title", parts[1]), security ? Set.of("security") : Set.of());
        return incidents.open().getLast();
    }

    static String replyText(Outcome outcome) {
        return dev.firebreak.kernel.PlainTextRenderer.render(((Outcome.Done) outcome).reply().message());
    }

    Outcome run(String person, String channelId, String subcommand, Map<String, String> args) {
        return run(person, channelId, subcommand, args, Set.of());
    }

    /** Runs an /incident handler as the dispatcher would after parsing, then delivers what it queued. */
    Outcome run(String person, String channelId, String subcommand, Map<String, String> args, Set<String> flags) {
        CommandContext ctx = context(person, channelId, subcommand, args, Optional.empty(), flags);
        try {
            Outcome outcome = handlers.get(ctx.command().spec().target().name()).handle(ctx);
            assertThat(outcome).isInstanceOf(Outcome.Done.class);
            return outcome;
        } finally {
            outbox.deliverDue();
        }
    }

    CommandContext context(String person, String channelId, String subcommand, Map<String, String> args, Optional<Long> incident) {
        return context(person, channelId, subcommand, args, incident, Set.of());
    }

    CommandContext context(String person, String channelId, String subcommand, Map<String, String> args, Optional<Long> incident,
                           Set<String> flags) {
        CommandRegistry registry = CONFIG.commands();
        ParsedCommand command = new ParsedCommand(registry.find("incident", subcommand).orElseThrow(), args, flags, incident,
                args.containsKey("page") ? Integer.parseInt(args.get("page")) : 1);
        return new CommandContext(PEOPLE.byKey(person).orElseThrow(), "slack", channelId, command, incident, Optional.empty());
    }

    List<TimelineEvent> eventsOf(Incident incident, Type type) {
        return incidents.timeline(incident).stream().filter(event -> event.type() == type).toList();
    }

    /** What Firebreak posted in a channel, oldest first, once everything queued has gone out. */
    List<FakeSlackServer.Call> postsIn(String channelId) {
        outbox.deliverDue();
        return slack.calls("chat.postMessage").stream().filter(call -> channelId.equals(call.param("channel"))).toList();
    }

    /** The same, as a person reads it. */
    List<String> textsIn(String channelId) {
        return postsIn(channelId).stream().map(IncidentsTest::text).toList();
    }

    static String text(FakeSlackServer.Call post) {
        return post.param("text").replace("*", "");
    }
}
