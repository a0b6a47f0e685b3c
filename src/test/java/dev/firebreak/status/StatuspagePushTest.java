package dev.firebreak.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.firebreak.app.MutableClock;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push of published updates to Atlassian Statuspage's incident API, against a local stand-in
 * of that API at the network edge that records what it got and answers what the test scripts
 * (201, 429, 500, 422): created once, then updated, in order; retried with backoff on the clock;
 * still delivered after a restart, once; a refusal kept, said once, never retried; the key only
 * ever in the Authorization header.
 */
class StatuspagePushTest {

    private static final String KEY = "statuspage-key-5be1d0-must-not-leak";
    private static final String PAGE = "kctbh9vrtdwd";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request the stand-in received. */
    record Received(String method, String path, String authorization, JsonNode body) {}

    /** A scripted answer; when none is left, 200 with the incident. {@code taken}: a create is kept whatever the answer says. */
    record Answer(int status, String body, boolean taken) {}

    @TempDir
    Path folder;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Deque<Answer> answers = new ArrayDeque<>();
    /** The incidents the stand-in holds unresolved, as its list endpoint answers them. */
    private final List<JsonNode> unresolved = new CopyOnWriteArrayList<>();
    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private volatile int lookupStatus = 200;
    private HttpServer statuspage;
    private FirebreakConfig config;

    @BeforeEach
    void startStandIn() throws IOException {
        statuspage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        statuspage.createContext("/v1/pages/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("GET") && exchange.getRequestURI().getPath().endsWith("/incidents/unresolved")) {
                lookups.add(exchange.getRequestHeaders().getFirst("Authorization"));
                respond(exchange, lookupStatus, lookupStatus == 200 ? JSON.writeValueAsString(unresolved) : "{\"error\":\"not authorised\"}");
                return;
            }
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), JSON.readTree(body)));
            Answer answer;
            synchronized (answers) {
                answer = answers.isEmpty() ? new Answer(200, "{\"id\":\"sp-incident-1\",\"status\":\"investigating\"}", true) : answers.poll();
            }
            if (exchange.getRequestMethod().equals("POST") && answer.taken()) {
                var incident = JSON.readTree(body).path("incident").deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) incident).put("id", "sp-incident-" + (unresolved.size() + 1));
                unresolved.add(incident);
            }
            respond(exchange, answer.status(), answer.body());
        });
        statuspage.start();
        config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9",
                "STATUSPAGE_API_KEY", KEY, "STATUSPAGE_PAGE_ID", PAGE,
                "STATUSPAGE_API_URL", "http://127.0.0.1:" + statuspage.getAddress().getPort(),
                "STATUSPAGE_COMPONENT_RPC", "cmp-rpc", "STATUSPAGE_COMPONENT_BRIDGE", "cmp-bridge",
                "STATUSPAGE_COMPONENT_L2_BLOCKS", "cmp-l2", "STATUSPAGE_COMPONENT_SEQUENCER_API", "cmp-seq")).load();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(out);
        }
    }

    @AfterEach
    void stopStandIn() {
        statuspage.stop(0);
    }

    private void answer(int status, String body) {
        answer(status, body, status / 100 == 2);
    }

    private void answer(int status, String body, boolean taken) {
        synchronized (answers) {
            answers.add(new Answer(status, body, taken));
        }
    }

    private StatusPageBot bot() {
        return new StatusPageBot(config, "jdbc:sqlite:" + folder.resolve("firebreak.db"), clock);
    }

    @Test
    void updates_are_created_then_updated_in_order_retried_with_backoff_and_delivered_once_after_a_restart() {
        String channel;
        try (StatusPageBot bot = bot()) {
            String declared = bot.say("alice", "incidents", "/incident declare P1 RPC pods crashlooping");
            channel = declared.substring(declared.indexOf("#inc-") + 1, declared.lastIndexOf('.'));
            bot.say("alice", channel, "/incident post status-page rpc partial-outage elevated error rates");
            assertThat(bot.posted()).contains("RPC is Partial Outage (queued for Statuspage).");
            assertThat(received).as("pushed by the clock-driven tick, not by the command").isEmpty();

            answer(500, "{\"error\":\"internal\"}");
            bot.firebreak.tick();
            assertThat(received).hasSize(1);
            Received create = received.getFirst();
            assertThat(create.method()).isEqualTo("POST");
            assertThat(create.path()).isEqualTo("/v1/pages/" + PAGE + "/incidents");
            assertThat(create.authorization()).isEqualTo("OAuth " + KEY);
            JsonNode incident = create.body().path("incident");
            assertThat(incident.path("name").asText()).isEqualTo("RPC: Partial Outage");
            assertThat(incident.path("status").asText()).isEqualTo("investigating");
            assertThat(incident.path("body").asText()).startsWith("[INVESTIGATING] We are investigating reports of elevated error rates.");
            assertThat(incident.path("components").path("cmp-rpc").asText()).isEqualTo("partial_outage");
            assertThat(incident.path("component_ids")).extracting(JsonNode::asText).containsExactly("cmp-rpc");

            clock.advance(Duration.ofSeconds(29));
            bot.firebreak.tick();
            assertThat(received).as("the first retry waits 30 s").hasSize(1);
            bot.say("alice", channel, "/incident post status-page rpc degraded-performance fix rolling out");
            clock.advance(Duration.ofSeconds(1));
            answer(201, "{\"id\":\"sp-incident-1\"}");
            answer(429, "{\"error\":\"rate limited\"}");
            bot.firebreak.tick();
            assertThat(received).as("the second update waits behind the first, then goes").hasSize(3);
            assertThat(received.get(1).method()).isEqualTo("POST");
            Received update = received.get(2);
            assertThat(update.method()).isEqualTo("PATCH");
            assertThat(update.path()).isEqualTo("/v1/pages/" + PAGE + "/incidents/sp-incident-1");
            assertThat(update.body().path("incident").has("name")).isFalse();
            assertThat(update.body().path("incident").path("components").path("cmp-rpc").asText()).isEqualTo("degraded_performance");

            bot.say("alice", channel, "/incident post status-page bridge partial-outage deposits delayed too");
        }
        // the process stops with two updates still queued (one rate limited); a new one picks them up
        clock.advance(Duration.ofSeconds(30));
        try (StatusPageBot bot = bot()) {
            bot.firebreak.tick();
            assertThat(received).hasSize(5);
            assertThat(received.subList(3, 5)).extracting(Received::method).containsExactly("PATCH", "PATCH");
            assertThat(received.get(3).body().path("incident").path("body").asText()).contains("fix rolling out");
            assertThat(received.get(4).body().path("incident").path("components").path("cmp-bridge").asText()).isEqualTo("partial_outage");
            clock.advance(Duration.ofHours(1));
            bot.firebreak.tick();
            assertThat(received).as("each delivered once").hasSize(5);

            answer(422, "{\"error\":\"component cmp-rpc not found for key " + KEY + "\"}");
            bot.say("alice", channel, "/incident post status-page rpc operational error rates back to normal");
            bot.firebreak.tick();
            bot.firebreak.outbox().deliverDue();
            assertThat(received).hasSize(6);
            clock.advance(Duration.ofHours(1));
            bot.firebreak.tick();
            bot.firebreak.outbox().deliverDue();
            assertThat(received).as("a refusal is never retried").hasSize(6);
            String posted = bot.posted();
            assertThat(posted.split("Statuspage refused the status page update of INC-1", -1)).as("said once").hasSize(2);
            assertThat(posted).contains("HTTP 422").contains("will not be retried");

            String stored = bot.database.jdbi().withHandle(h -> String.join("\n", h.createQuery(
                    "SELECT COALESCE(last_error, '') FROM statuspage_pushes UNION ALL SELECT body FROM status_updates "
                            + "UNION ALL SELECT body FROM outbox UNION ALL SELECT text FROM timeline_events").mapTo(String.class).list()));
            assertThat(stored).contains("HTTP 422").doesNotContain(KEY);
            assertThat(posted).doesNotContain(KEY);
            assertThat(bot.json().toString()).doesNotContain(KEY);
        }
    }

    @Test
    void a_create_whose_answer_was_lost_is_found_on_statuspage_and_updated_never_created_twice() {
        try (StatusPageBot bot = bot()) {
            String declared = bot.say("alice", "incidents", "/incident declare P1 RPC pods crashlooping");
            String channel = declared.substring(declared.indexOf("#inc-") + 1, declared.lastIndexOf('.'));
            bot.say("alice", channel, "/incident post status-page rpc partial-outage elevated error rates");

            answer(504, "<html>gateway timeout</html>", true); // taken by Statuspage, the answer lost on the way back
            bot.firebreak.tick();
            assertThat(received).extracting(Received::method).containsExactly("POST");
            assertThat(received.getFirst().body().path("incident").path("metadata").path("firebreak").path("incident_number").asText())
                    .as("the create names the incident, so it can be found again").isEqualTo("1");
            assertThat(unresolved).hasSize(1);
        }
        clock.advance(Duration.ofSeconds(30));
        try (StatusPageBot bot = bot()) { // after a restart, too
            bot.firebreak.tick();
            assertThat(received).extracting(Received::method).as("found, then updated: one incident on the public page")
                    .containsExactly("POST", "PATCH");
            assertThat(received.get(1).path()).isEqualTo("/v1/pages/" + PAGE + "/incidents/sp-incident-1");
            assertThat(unresolved).hasSize(1);
            assertThat(lookups).as("each create is preceded by a look-up, with the key in the header only").hasSize(2)
                    .containsOnly("OAuth " + KEY);

            // another incident's create is not mistaken for this one's
            String second = bot.say("alice", "incidents", "/incident declare P2 Bridge deposits delayed");
            String channel2 = second.substring(second.indexOf("#inc-") + 1, second.lastIndexOf('.'));
            bot.say("alice", channel2, "/incident post status-page bridge partial-outage deposits delayed");
            answer(201, "{\"id\":\"sp-incident-2\"}");
            bot.firebreak.tick();
            assertThat(received).extracting(Received::method).containsExactly("POST", "PATCH", "POST");
            assertThat(unresolved).hasSize(2);
        }
    }

    @Test
    void a_look_up_refused_for_good_is_said_once_and_creates_nothing() {
        lookupStatus = 401;
        try (StatusPageBot bot = bot()) {
            String declared = bot.say("alice", "incidents", "/incident declare P1 RPC pods crashlooping");
            String channel = declared.substring(declared.indexOf("#inc-") + 1, declared.lastIndexOf('.'));
            bot.say("alice", channel, "/incident post status-page rpc partial-outage elevated error rates");
            bot.firebreak.tick();
            bot.firebreak.outbox().deliverDue();
            clock.advance(Duration.ofHours(1));
            bot.firebreak.tick();
            bot.firebreak.outbox().deliverDue();
            assertThat(received).as("nothing created while Statuspage refuses the look-up").isEmpty();
            assertThat(lookups).as("not retried").hasSize(1);
            String posted = bot.posted();
            assertThat(posted.split("Statuspage refused the status page update of INC-1", -1)).hasSize(2);
            assertThat(posted).contains("HTTP 401").doesNotContain(KEY);
        }
    }

    @Test
    void without_a_key_and_page_id_nothing_is_queued_or_sent() {
        config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();
        try (StatusPageBot bot = bot()) {
            String declared = bot.say("alice", "incidents", "/incident declare P2 Bridge deposits delayed");
            String channel = declared.substring(declared.indexOf("#inc-") + 1, declared.lastIndexOf('.'));
            bot.say("alice", channel, "/incident post status-page bridge partial-outage deposits delayed");
            bot.firebreak.tick();
            assertThat(bot.posted()).contains("Published to the status page for INC-1 by alice").doesNotContain("Statuspage");
            assertThat(received).isEmpty();
            int queued = bot.database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM statuspage_pushes").mapTo(Integer.class).one());
            assertThat(queued).isZero();
        }
    }
}
