package dev.firebreak.app;

import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentRepository;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.testing.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /incident declare} on Slack (the real SDK against the fake Web API): the incident is
 * stored first, then its channel is created, then the kickoff queued before anything slower, and
 * either side is repaired when the other fails, also after a restart cut a declaration short.
 */
class IncidentDeclarationTest {

    @TempDir
    Path data;
    private FakeSlackServer slack;
    private final FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();

    @BeforeEach
    void slack() {
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private ChatPlatform platform() {
        return SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-declare-test", "SLACK_APP_TOKEN", "xapp-1-declare",
                "SLACK_API_URL", slack.apiUrl()), CommandCatalogs.of(config.commands()), Clock.systemUTC(),
                (platform, key) -> true).orElseThrow().platform();
    }

    private Firebreak started(Database db) {
        Firebreak firebreak = Firebreak.assemble(config, db, Clock.systemUTC(),
                List.of(new Firebreak.PlatformConnection(platform(), Duration.ZERO)), new SimpleMeterRegistry());
        firebreak.start(Duration.ofHours(1));
        return firebreak;
    }

    private static String declare(Firebreak firebreak, String title) {
        return firebreak.engine().onCommand(new Inbound.Command("slack", "U0ALICE", "C0INCIDENTS", "/incident declare P1 " + title))
                .message().plainText();
    }

    @Test
    void a_channel_that_cannot_be_created_leaves_no_incident_and_its_number_is_used_next() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db")); Firebreak firebreak = started(db)) {
            slack.failNext("conversations.create", FakeSlackServer.Failure.error("restricted_action"));
            String refused = declare(firebreak, "RPC latency high");
            assertThat(refused).contains("The incident channel #inc-").contains("-rpc-latency-high could not be created")
                    .contains("a workspace setting forbids this").contains("No incident was declared; try again.");
            assertThat(new JdbcIncidentRepository(db).all()).isEmpty();

            assertThat(declare(firebreak, "RPC latency high")).startsWith("Declared INC-1 [P1]");
            Incident incident = new JdbcIncidentRepository(db).find(1).orElseThrow();
            assertThat(slack.calls("conversations.create")).hasSize(2);
            assertThat(incident.channelId()).isEqualTo(platform().channelNamed(incident.channelName()).id());
        }
    }

    /**
     * The declarer waits for the kickoff, not for the invitation and topic behind it: Slack answers
     * those only once the kickoff is posted, which would never happen in time if the kickoff came
     * after them.
     */
    @Test
    void the_kickoff_is_posted_before_the_slower_calls_of_the_declaration_are_answered() {
        java.util.concurrent.CountDownLatch kickoffPosted = new java.util.concurrent.CountDownLatch(1);
        slack.watchPosts((channel, post) -> {
            if (post.path("text").asText().contains("Declared by alice")) kickoffPosted.countDown();
        });
        slack.holdAnswers("conversations.invite", kickoffPosted);
        slack.holdAnswers("conversations.setTopic", kickoffPosted);
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db")); Firebreak firebreak = started(db)) {
            assertThat(declare(firebreak, "RPC latency high")).startsWith("Declared INC-1 [P1]");
            assertThat(kickoffPosted.getCount()).isZero();
            assertThat(slack.heldTooLong()).as("the invitation and the topic waited for the kickoff, not the other way round").isEmpty();
            assertThat(slack.calls("conversations.invite")).singleElement()
                    .satisfies(invite -> assertThat(invite.param("users")).isEqualTo("U0ALICE"));
        }
    }

    /**
     * A process died after the kickoff of INC-1 was posted and before the rest of its declaration
     * (invitation, announcement, link, commander, timeline): the restart finishes that rest once,
     * with no second channel and no second kickoff, however often it is asked to.
     */
    @Test
    void after_a_crash_between_the_kickoff_and_the_rest_a_restart_finishes_the_rest_once() {
        String name = "inc-20261123-sequencer-down";
        slack.addChannel("C0SEQDOWN", name);
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            new JdbcIncidentRepository(db).create(new IncidentRepository.NewIncident("P0", "sequencer down", false, "slack",
                    IncidentRepository.NO_CHANNEL_YET, name, "alice"), Instant.parse("2026-11-23T03:00:00Z"));
            dev.firebreak.chat.Outbox before = new dev.firebreak.chat.Outbox(new dev.firebreak.store.JdbcOutboxStore(db), Clock.systemUTC());
            before.register(platform(), Duration.ZERO);
            before.enqueueOnce(dev.firebreak.incident.IncidentService.kickoffKey(1), "slack", "C0SEQDOWN",
                    dev.firebreak.kernel.Message.text("INC-1 [P0] sequencer down. Declared by alice."), true);
            assertThat(before.deliverDue()).isEqualTo(1);
        }
        assertThat(kickoffsIn("C0SEQDOWN")).isEqualTo(1);

        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db")); Firebreak firebreak = started(db)) {
            JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
            assertThat(incidents.find(1).orElseThrow().channelId()).isEqualTo("C0SEQDOWN");
            Eventually.assertThat(() -> assertThat(slack.postedTexts("C0INCIDENTS")).singleElement().asString()
                    .contains("[P0] sequencer down declared by alice"));
            firebreak.tick();
            firebreak.tick();
            firebreak.outbox().deliverDue();

            assertThat(slack.calls("conversations.create")).as("no second channel").isEmpty();
            assertThat(kickoffsIn("C0SEQDOWN")).as("no second kickoff").isEqualTo(1);
            assertThat(slack.postedTexts("C0INCIDENTS")).as("announced once").hasSize(1);
            assertThat(slack.calls("conversations.invite")).as("the declarer let in once").singleElement()
                    .satisfies(invite -> assertThat(invite.param("users")).isEqualTo("U0ALICE"));
            assertThat(incidents.roles(1)).extracting(r -> r.person()).containsExactly("alice");
            assertThat(incidents.timeline(1)).filteredOn(e -> e.type() == dev.firebreak.incident.TimelineEvent.Type.DECLARED)
                    .hasSize(1);
        }
    }

    /**
     * The topic shows id, severity, status and title: a status update changes none of them and sets
     * no topic, while a status or severity change sets it once, showing the new value.
     */
    @Test
    void the_topic_is_set_when_what_it_shows_changes_and_not_for_a_status_update() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db")); Firebreak firebreak = started(db)) {
            assertThat(declare(firebreak, "RPC latency high")).startsWith("Declared INC-1 [P1]");
            String channel = new JdbcIncidentRepository(db).find(1).orElseThrow().channelId();
            Eventually.assertThat(() -> assertThat(slack.calls("conversations.setTopic")).hasSize(1));

            firebreak.engine().onCommand(new Inbound.Command("slack", "U0ALICE", channel, "/incident update failover started"));
            firebreak.engine().onCommand(new Inbound.Command("slack", "U0ALICE", channel, "/incident update failover done"));
            assertThat(slack.calls("conversations.setTopic")).as("status updates leave the topic alone").hasSize(1);

            firebreak.engine().onCommand(new Inbound.Command("slack", "U0ALICE", channel, "/incident status monitoring"));
            firebreak.engine().onCommand(new Inbound.Command("slack", "U0ALICE", channel, "/incident severity P0"));
            assertThat(slack.calls("conversations.setTopic")).extracting(call -> call.param("topic"))
                    .hasSize(3).last().asString().contains("INC-1 [P0] monitoring");
        }
    }

    private long kickoffsIn(String channel) {
        return slack.postedTexts(channel).stream().filter(text -> text.contains("Declared by alice")).count();
    }

    @Test
    void after_a_restart_a_reserved_incident_is_linked_to_its_channel_or_withdrawn_when_the_channel_was_never_made() {
        String linkedName = "inc-20261123-sequencer-down";
        String neverMade = "inc-20261123-bridge-stuck";
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"))) {
            // a process died after reserving these: one after Slack created its channel, one before
            JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
            Instant at = Instant.parse("2026-11-23T03:00:00Z");
            incidents.create(new IncidentRepository.NewIncident("P0", "sequencer down", false, "slack",
                    IncidentRepository.NO_CHANNEL_YET, linkedName, "alice"), at);
            incidents.create(new IncidentRepository.NewIncident("P1", "bridge stuck", false, "slack",
                    IncidentRepository.NO_CHANNEL_YET, neverMade, "alice"), at);
        }
        slack.addChannel("C0SEQDOWN", linkedName);

        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db")); Firebreak firebreak = started(db)) {
            JdbcIncidentRepository incidents = new JdbcIncidentRepository(db);
            assertThat(incidents.find(1).orElseThrow().channelId()).isEqualTo("C0SEQDOWN");
            assertThat(incidents.find(2)).as("withdrawn: its channel was never created").isEmpty();
            assertThat(incidents.open()).extracting(Incident::number).containsExactly(1L);
            Eventually.assertThat(() -> assertThat(slack.calls("chat.postMessage")).anySatisfy(call -> {
                assertThat(call.param("channel")).isEqualTo("C0SEQDOWN");
                assertThat(call.body()).contains("INC-1");
            }));
            assertThat(incidents.roles(1)).extracting(r -> r.person()).containsExactly("alice");
            assertThat(declare(firebreak, "RPC latency high")).as("the withdrawn number is used again").startsWith("Declared INC-2 [P1]");
        }
    }
}
