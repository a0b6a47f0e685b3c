package dev.firebreak.status;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.app.MutableClock;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kernel.Secret;
import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public status page through the real wiring, on SQLite and PostgreSQL, with a clock the test
 * moves: what {@code /incident post status-page} publishes, who may, what is refused, and what
 * {@code /status.json} and {@code /status} show (only what was published, never a private word).
 */
class StatusPageTest {

    private static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");
    private static final Pattern CHANNEL = Pattern.compile("#(inc-[a-z0-9-]+)");
    /** Private: the incident's own title and who works on it. */
    private static final String PRIVATE_TITLE = "RPC pods OOM after bad deploy by carol";

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(T0);
    private final FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();

    static List<String> stores() {
        return TestDatabases.kinds();
    }

    private StatusPageBot bot(String kind) {
        return new StatusPageBot(config, TestDatabases.freshUrl(kind, folder), clock);
    }

    private static String channelOf(String declared) {
        Matcher m = CHANNEL.matcher(declared);
        assertThat(m.find()).as("the declaration names its channel: " + declared).isTrue();
        return m.group(1);
    }

    @ParameterizedTest
    @MethodSource("stores")
    void an_update_published_by_the_communications_lead_appears_and_the_resolution_only_when_published(String kind) {
        try (StatusPageBot bot = bot(kind)) {
            assertThat(bot.json().path("overall").path("state").asText()).isEqualTo("operational");
            assertThat(bot.json().path("components")).extracting(c -> c.path("id").asText())
                    .containsExactly("l2-blocks", "rpc", "bridge", "sequencer-api");

            String channel = channelOf(bot.say("alice", "incidents", "/incident declare P1 " + PRIVATE_TITLE));
            assertThat(bot.json().path("active")).as("declaring publishes nothing").isEmpty();
            bot.say("alice", channel, "/incident assign communications bob");

            clock.advance(Duration.ofMinutes(4));
            String answer = bot.say("bob", channel, "/incident post status-page rpc partial-outage elevated error rates on the public RPC");
            assertThat(answer).isEqualTo("Published to the status page for INC-1.");
            assertThat(bot.posted()).contains("Published to the status page for INC-1 by bob: RPC is Partial Outage.")
                    .contains("[INVESTIGATING] We are investigating reports of elevated error rates on the public RPC.")
                    .contains("Impact: RPC: Partial Outage").contains("Started: 2026-11-23 03:00 UTC").contains("Updates every 30m.");
            assertThat(bot.stateOf("rpc")).isEqualTo("partial-outage");
            assertThat(bot.stateOf("bridge")).isEqualTo("operational");
            JsonNode page = bot.json();
            assertThat(page.path("overall").path("label").asText()).isEqualTo("Partial Outage");
            JsonNode incident = page.path("active").get(0);
            assertThat(incident.path("title").asText()).isEqualTo("RPC: Partial Outage");
            assertThat(incident.path("status").asText()).isEqualTo("investigating");
            assertThat(incident.path("components")).extracting(JsonNode::asText).containsExactly("RPC");
            assertThat(incident.path("updates").get(0).path("body").asText()).startsWith("[INVESTIGATING] We are investigating reports of");

            bot.say("alice", channel, "/incident status identified");
            clock.advance(Duration.ofMinutes(20));
            bot.say("alice", channel, "/incident post status-page rpc degraded Fix rolling out, error rates falling");
            incident = bot.json().path("active").get(0);
            assertThat(incident.path("status").asText()).isEqualTo("identified");
            assertThat(incident.path("updates")).extracting(u -> u.path("body").asText()).as("newest first").containsExactly(
                    "[IDENTIFIED] Fix rolling out, error rates falling\nImpact: RPC: Degraded Performance",
                    incident.path("updates").get(1).path("body").asText());
            assertThat(bot.stateOf("rpc")).isEqualTo("degraded-performance");

            String resolved = bot.say("alice", channel, "/incident resolve carol's deploy had a memory leak");
            assertThat(resolved).contains("INC-1 resolved.");
            assertThat(bot.posted()).contains("The status page still shows INC-1 as active")
                    .contains("/incident post INC-1 status-page rpc operational <root cause, in words for the public>")
                    .contains("[RESOLVED] The issue affecting RPC: Partial Outage has been resolved.");
            assertThat(bot.json().path("active")).as("resolving publishes nothing by itself").hasSize(1);
            assertThat(bot.stateOf("rpc")).isEqualTo("degraded-performance");

            assertThat(bot.say("bob", channel, "/incident post status-page rpc partial-outage still broken"))
                    .contains("INC-1 is resolved: publish rpc as operational");
            bot.say("bob", channel, "/incident post INC-1 status-page rpc operational A faulty release exhausted the RPC nodes' memory");
            page = bot.json();
            assertThat(page.path("active")).isEmpty();
            assertThat(bot.stateOf("rpc")).isEqualTo("operational");
            assertThat(page.path("overall").path("name").asText()).isEqualTo("All systems operational");
            JsonNode past = page.path("history").get(0);
            assertThat(past.path("status").asText()).isEqualTo("resolved");
            assertThat(past.path("updates").get(0).path("body").asText())
                    .isEqualTo("[RESOLVED] The issue affecting RPC: Partial Outage has been resolved.\nDuration: 24m\n"
                            + "Root cause: A faulty release exhausted the RPC nodes' memory\nFull postmortem to follow.");
            assertThat(bot.say("alice", channel, "/incident timeline")).contains("Timeline of INC-1");
            assertThat(bot.posted()).as("the timeline says who published what").contains("Published to the status page: RPC Partial Outage")
                    .contains("Published to the status page: RPC Operational, resolved");

            String everything = bot.json().toString() + bot.html();
            for (String secret : List.of(PRIVATE_TITLE, "OOM", "carol", "alice", "bob", channel, "memory leak", "#inc-")) {
                assertThat(everything).as("the public page holds no private text").doesNotContain(secret);
            }

            clock.advance(StatusPage.HISTORY.minusMinutes(1));
            assertThat(bot.json().path("history")).as("still within 7 days").hasSize(1);
            clock.advance(Duration.ofMinutes(2));
            assertThat(bot.json().path("history")).as("older than 7 days").isEmpty();
        }
    }

    @Test
    void refusals_name_what_was_wrong_with_the_valid_choices_and_publish_nothing() {
        try (StatusPageBot bot = bot("sqlite")) {
            String channel = channelOf(bot.say("alice", "incidents", "/incident declare P2 Bridge deposits delayed"));
            String before = bot.json().path("active").toString();

            assertThat(bot.say("alice", channel, "/incident post status-page bridges partial-outage slow"))
                    .contains("The status page has no component bridges. Components: l2-blocks, rpc, bridge, sequencer-api");
            assertThat(bot.say("alice", channel, "/incident post status-page bridge sideways slow"))
                    .contains("sideways is not a component state. States: operational, degraded-performance, partial-outage, major-outage.");
            assertThat(bot.say("alice", channel, "/incident post status-page"))
                    .contains("Name the component and its state").contains("Components: l2-blocks").contains("States: operational");
            assertThat(bot.say("alice", channel, "/incident post status-page bridge partial-outage"))
                    .contains("Give the text the public reads").contains("Nothing was published.");
            assertThat(bot.say("carol", channel, "/incident post status-page bridge partial-outage delays"))
                    .contains("Only the communications lead or the commander of INC-1 publishes to the status page (alice)");
            assertThat(bot.say("alice", channel, "/incident post incident-report bridge"))
                    .contains("drafts a template and takes nothing after its name");
            assertThat(bot.say("alice", "incidents", "/incident post status-page bridge partial-outage delays"))
                    .contains("Run this in an incident channel, or name the incident");

            assertThat(bot.json().path("active").toString()).isEqualTo(before);
            assertThat(bot.stateOf("bridge")).isEqualTo("operational");
            int stored = bot.database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM status_updates").mapTo(Integer.class).one());
            assertThat(stored).isZero();
        }
    }

    @Test
    void a_security_incident_shows_only_the_security_statement_and_only_when_published_by_name() {
        try (StatusPageBot bot = bot("sqlite")) {
            String declared = bot.say("alice", "incidents", "/incident declare --security P0 Bridge validator key stolen");
            String channel = channelOf(declared);
            assertThat(bot.json().path("active")).isEmpty();

            assertThat(bot.say("alice", channel, "/incident post status-page bridge major-outage validator key stolen, bridge drained"))
                    .contains("INC-1 is a security incident: nothing about it is disclosed before it is patched")
                    .contains("/incident post status-page bridge major-outage security-statement");
            assertThat(bot.json().path("active")).isEmpty();
            assertThat(bot.say("alice", "incidents", "/incident post INC-1 status-page bridge major-outage security-statement"))
                    .as("outside its own channel").contains("INC-1 is a security incident");
            assertThat(bot.json().path("active")).isEmpty();

            bot.say("alice", channel, "/incident post status-page bridge major-outage security-statement");
            JsonNode incident = bot.json().path("active").get(0);
            assertThat(incident.path("title").asText()).isEqualTo("Potential security issue");
            assertThat(incident.path("updates").get(0).path("body").asText()).startsWith("\uD83D\uDEA8 CRITICAL SECURITY INCIDENT")
                    .contains("We have paused the network due to a potential security issue.");
            assertThat(bot.stateOf("bridge")).isEqualTo("major-outage");

            String resolved = bot.say("alice", channel, "/incident resolve validator key rotated, exploit patched");
            assertThat(resolved).contains("INC-1 resolved.");
            assertThat(bot.posted()).contains("/incident post INC-1 status-page bridge operational security-statement");
            bot.say("alice", channel, "/incident post status-page bridge operational security-statement");
            JsonNode past = bot.json().path("history").get(0);
            assertThat(past.path("updates").get(0).path("body").asText())
                    .startsWith("[RESOLVED] The issue affecting Potential security issue has been resolved.")
                    .contains("Root cause: details will be shared once it is safe to do so");
            String everything = bot.json().toString() + bot.html();
            for (String secret : List.of("validator key", "stolen", "drained", "exploit", "alice", channel)) {
                assertThat(everything).as("nothing about the security incident").doesNotContain(secret);
            }
        }
    }

    @Test
    void hostile_text_is_escaped_in_the_html_and_kept_as_text_in_the_json() {
        try (StatusPageBot bot = bot("sqlite")) {
            String channel = channelOf(bot.say("alice", "incidents", "/incident declare P2 Sequencer API errors"));
            String hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"quotes\" 'apostrophes'";
            bot.say("alice", channel, "/incident post status-page sequencer-api degraded-performance " + hostile);

            String html = bot.html();
            assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("onerror=alert")
                    .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;")
                    .contains("&amp; &quot;quotes&quot;");
            assertThat(html).contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
            assertThat(bot.get("/status").contentType()).startsWith("text/html");
            assertThat(bot.get("/status.json").contentType()).isEqualTo("application/json");
            assertThat(bot.json().path("active").get(0).path("updates").get(0).path("body").asText())
                    .contains("We are investigating reports of " + hostile + ".");

            String token = new Secret("env STATUS_TEST_TOKEN", "tok-9f8e7d-never-public").reveal();
            bot.say("alice", channel, "/incident post status-page sequencer-api degraded-performance rotated token " + token);
            assertThat(bot.json().path("active").get(0).path("updates").get(0).path("body").asText())
                    .isEqualTo("[INVESTIGATING] rotated token ****\nImpact: Sequencer API: Degraded Performance");
            String stored = bot.database.jdbi().withHandle(h -> String.join("\n",
                    h.createQuery("SELECT body FROM status_updates").mapTo(String.class).list()));
            assertThat(stored + bot.html() + bot.posted()).doesNotContain(token);
        }
    }
}
