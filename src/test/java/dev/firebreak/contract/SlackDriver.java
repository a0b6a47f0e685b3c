package dev.firebreak.contract;

import dev.firebreak.testing.Eventually;
import dev.firebreak.app.CommandCatalogs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.chat.slack.SlackPayloads;
import dev.firebreak.chat.slack.SlackSigner;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@link SlackAdapter} (Bolt) against {@link FakeSlackServer}: in Socket Mode, commands and
 * events arrive as envelopes over the fake's WebSocket; in HTTP mode they are POSTed to
 * {@code /slack/events} on the real {@link OperationsServer}, signed exactly as Slack signs them.
 * Reactions are kept on the fake's messages too, so {@code reactions.get} after a reconnect sees them.
 */
final class SlackDriver implements ChatDriver {

    enum Transport { SOCKET_MODE, HTTP }

    static final String BOT_TOKEN = "xoxb-1111-2222-contractBotTokenSECRET";
    static final String APP_TOKEN = "xapp-1-A0FIRE-3333-contractAppTokenSECRET";
    static final String SIGNING_SECRET = "contract0signing0secret0b1c2d3e4f5";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContractEnvironment environment;
    private final Transport transport;
    private final FakeSlackServer slack;
    private final Map<String, String> credentials;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger sequence = new AtomicInteger();
    /** Whose command each response_url call answered, in order (commands run one at a time). */
    private final List<String> responseUrlOwners = new ArrayList<>();
    /** People's reactions by message ({@code channel/ts}), then emoji. */
    private final Map<String, Map<String, LinkedHashSet<String>>> reactions = new LinkedHashMap<>();
    private final List<SignedRequest> signedRequests = new ArrayList<>();
    private int socketConnections;
    private SlackAdapter adapter;
    private OperationsServer server;
    private RunningFirebreak running;

    SlackDriver(ContractEnvironment environment, Transport transport) {
        this.environment = environment;
        this.transport = transport;
        this.slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
        this.credentials = transport == Transport.SOCKET_MODE
                ? Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_APP_TOKEN", APP_TOKEN, "SLACK_API_URL", slack.apiUrl())
                : Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_SIGNING_SECRET", SIGNING_SECRET, "SLACK_API_URL", slack.apiUrl());
        start();
    }

    @Override
    public String platform() {
        return "slack";
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, true, true, true);
    }

    @Override
    public String channelNamed(String name) {
        return channelIds().get(name);
    }

    @Override
    public void command(String person, String channelId, String line) {
        requireRunning();
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String text = space < 0 ? "" : line.substring(space + 1);
        String trigger = "contract." + sequence.incrementAndGet();
        String userId = environment.idOf(person, "slack");
        int answered = slack.calls("response_url").size();
        if (transport == Transport.SOCKET_MODE) {
            slack.sendEnvelope("slash_commands", SlackPayloads.slashCommandJson(command, text, userId, channelId, trigger,
                    slack.responseUrl(trigger)));
        } else {
            postSigned(SlackPayloads.slashCommandForm(command, text, userId, channelId, trigger, slack.responseUrl(trigger)),
                    "application/x-www-form-urlencoded");
        }
        Eventually.until(() -> slack.calls("response_url").size() > answered, "for the answer to " + line);
        synchronized (responseUrlOwners) {
            responseUrlOwners.add(person);
        }
        running.awaitOutboxDrained();
    }

    @Override
    public void react(String person, String channelId, String messageId, String emoji) {
        reaction(person, channelId, messageId, emoji, true);
    }

    @Override
    public void unreact(String person, String channelId, String messageId, String emoji) {
        reaction(person, channelId, messageId, emoji, false);
    }

    /** Changes the reaction on the fake's message, and tells Firebreak when it is there to hear it. */
    private void reaction(String person, String channelId, String ts, String emoji, boolean added) {
        String userId = environment.idOf(person, "slack");
        synchronized (reactions) {
            LinkedHashSet<String> users = reactions.computeIfAbsent(channelId + "/" + ts, k -> new LinkedHashMap<>())
                    .computeIfAbsent(emoji, e -> new LinkedHashSet<>());
            if (added) users.add(userId); else users.remove(userId);
            slack.setReactions(channelId, ts, reactionsOn(channelId, ts));
        }
        if (stopped()) return; // Slack could not deliver the event; Firebreak reads the reactions when it is back
        String event = SlackPayloads.reactionEvent("Ev" + sequence.incrementAndGet(), FakeSlackServer.TEAM_ID, userId, emoji,
                added ? "reaction_added" : "reaction_removed", channelId, ts);
        deliverEvent(event);
    }

    /** The bot's own reactions (reactions.add) and people's, as Slack keeps them on the message. */
    private Map<String, List<String>> reactionsOn(String channelId, String ts) {
        Map<String, LinkedHashSet<String>> all = new LinkedHashMap<>();
        for (FakeSlackServer.Call call : slack.calls("reactions.add")) {
            if (channelId.equals(call.param("channel")) && ts.equals(call.param("timestamp"))) {
                all.computeIfAbsent(call.param("name"), e -> new LinkedHashSet<>()).add(FakeSlackServer.BOT_USER_ID);
            }
        }
        reactions.getOrDefault(channelId + "/" + ts, Map.of()).forEach((emoji, users) ->
                all.computeIfAbsent(emoji, e -> new LinkedHashSet<>()).addAll(users));
        Map<String, List<String>> copy = new LinkedHashMap<>();
        all.forEach((emoji, users) -> {
            if (!users.isEmpty()) copy.put(emoji, List.copyOf(users));
        });
        return copy;
    }

    @Override
    public String say(String person, String channelId, String text) {
        requireRunning();
        String ts = "1700000500." + String.format("%06d", sequence.incrementAndGet());
        String event = """
                {"token":"t","team_id":"%s","api_app_id":"A0FIRE","type":"event_callback","event_id":"Ev%d",
                 "event_time":1700000500,
                 "event":{"type":"message","user":"%s","text":%s,"ts":"%s","channel":"%s",
                          "channel_type":"%s","event_ts":"%s"},
                 "authorizations":[{"enterprise_id":null,"team_id":"%s","user_id":"%s","is_bot":true}]}
                """.formatted(FakeSlackServer.TEAM_ID, sequence.incrementAndGet(), environment.idOf(person, "slack"),
                quoted(text), ts, channelId, channelId.startsWith("G") ? "group" : "channel", ts, FakeSlackServer.TEAM_ID,
                FakeSlackServer.BOT_USER_ID);
        deliverEvent(event);
        return ts;
    }

    private void deliverEvent(String eventJson) {
        if (transport == Transport.SOCKET_MODE) {
            String envelope = slack.sendEnvelope("events_api", eventJson);
            Eventually.until(() -> !slack.acksFor(envelope).isEmpty(), "for Bolt to acknowledge the event");
        } else {
            postSigned(eventJson, "application/json");
        }
    }

    /** A request as it was signed and sent in HTTP mode, for sending the same bytes again. */
    record SignedRequest(String body, String contentType, long timestamp, String signature) {}

    /** The signed requests sent so far in HTTP mode, oldest first. */
    List<SignedRequest> signedRequests() {
        synchronized (signedRequests) {
            return List.copyOf(signedRequests);
        }
    }

    /** Sends a captured request again, byte for byte, as an attacker who recorded it would. */
    void replay(SignedRequest request) {
        send(request);
        running.awaitOutboxDrained();
    }

    /** POSTs to /slack/events with Slack's signature headers, and expects Bolt's 200. */
    private void postSigned(String body, String contentType) {
        long timestamp = Instant.now().getEpochSecond();
        SignedRequest signed = new SignedRequest(body, contentType, timestamp, SlackSigner.sign(SIGNING_SECRET, timestamp, body));
        synchronized (signedRequests) {
            signedRequests.add(signed);
        }
        send(signed);
    }

    private void send(SignedRequest signed) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/slack/events"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", signed.contentType())
                .header("X-Slack-Request-Timestamp", Long.toString(signed.timestamp()))
                .header("X-Slack-Signature", signed.signature())
                .POST(HttpRequest.BodyPublishers.ofString(signed.body()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("/slack/events answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new AssertionError("could not POST to /slack/events: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public List<Posted> postedIn(String channelId) {
        Map<String, String> edited = new HashMap<>();
        slack.calls("chat.update").stream().filter(c -> channelId.equals(c.param("channel")))
                .forEach(c -> edited.put(c.param("ts"), c.param("text")));
        return slack.calls("chat.postMessage").stream()
                .filter(c -> channelId.equals(c.param("channel")) && c.param("thread_ts") == null)
                .map(c -> new Posted(slack.postedTs(c), Texts.fromSlack(edited.getOrDefault(slack.postedTs(c), c.param("text")))))
                .toList();
    }

    @Override
    public List<Posted> threadOf(String channelId, String messageId) {
        return slack.calls("chat.postMessage").stream()
                .filter(c -> channelId.equals(c.param("channel")) && messageId.equals(c.param("thread_ts")))
                .map(c -> new Posted(slack.postedTs(c), Texts.fromSlack(c.param("text"))))
                .toList();
    }

    @Override
    public List<String> privateTo(String person) {
        List<String> shown = new ArrayList<>();
        List<FakeSlackServer.Call> answers = slack.calls("response_url");
        synchronized (responseUrlOwners) {
            for (int i = 0; i < Math.min(answers.size(), responseUrlOwners.size()); i++) {
                if (responseUrlOwners.get(i).equals(person)) {
                    shown.add(Texts.fromSlack(answers.get(i).param("text")));
                    if (!"ephemeral".equals(answers.get(i).param("response_type"))) {
                        throw new AssertionError("a command answer was not ephemeral: " + answers.get(i).body());
                    }
                }
            }
        }
        String userId = environment.idOf(person, "slack");
        slack.calls("chat.postEphemeral").stream().filter(c -> userId.equals(c.param("user")))
                .forEach(c -> shown.add(Texts.fromSlack(c.param("text"))));
        return shown;
    }

    @Override
    public List<CreatedChannel> createdChannels() {
        Map<String, String> ids = channelIds();
        List<CreatedChannel> created = new ArrayList<>();
        for (FakeSlackServer.Call create : slack.calls("conversations.create")) {
            String id = ids.get(create.param("name"));
            if (id == null) continue;
            List<String> members = slack.calls("conversations.invite").stream()
                    .filter(c -> id.equals(c.param("channel")))
                    .flatMap(c -> List.of(c.param("users").split(",")).stream())
                    .map(user -> environment.personWithId("slack", user.strip())).distinct().toList();
            boolean restricted = "1".equals(create.param("is_private")) || "true".equals(create.param("is_private"));
            created.add(new CreatedChannel(id, create.param("name"), restricted, members));
        }
        return created;
    }

    /** Channel ids by name, asked of the fake Slack as any client would (conversations.list). */
    private Map<String, String> channelIds() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(slack.apiUrl() + "conversations.list"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("limit=1000"))
                .build();
        try {
            JsonNode answer = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            Map<String, String> ids = new LinkedHashMap<>();
            answer.path("channels").forEach(c -> ids.put(c.path("name").asText(), c.path("id").asText()));
            return ids;
        } catch (IOException e) {
            throw new AssertionError("could not list the fake Slack's channels: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    @Override
    public Optional<String> topic(String channelId) {
        return slack.calls("conversations.setTopic").stream().filter(c -> channelId.equals(c.param("channel")))
                .map(c -> Texts.fromSlack(c.param("topic"))).reduce((a, b) -> b);
    }

    @Override
    public Set<String> pinned(String channelId) {
        Set<String> pinned = new LinkedHashSet<>();
        slack.calls("pins.add").stream().filter(c -> channelId.equals(c.param("channel")))
                .forEach(c -> pinned.add(c.param("timestamp")));
        return pinned;
    }

    @Override
    public String everythingSent() {
        StringBuilder all = new StringBuilder();
        for (FakeSlackServer.Call call : slack.calls()) {
            // The bot token travels in the Authorization header, as Slack requires; everything else must be clean.
            all.append(call.method()).append(' ').append(call.body()).append('\n');
        }
        slack.acks().forEach(ack -> all.append("ack ").append(ack).append('\n'));
        return all.toString();
    }

    @Override
    public String everythingStored() {
        return running == null ? "" : running.everythingStored();
    }

    @Override
    public int alertmanager(String body) {
        return running.alertmanager(body);
    }

    @Override
    public String statusPageJson() {
        return running.statusPageJson();
    }

    @Override
    public Set<String> secrets() {
        return Set.of(BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, ContractEnvironment.SEQUENCER_TOKEN);
    }

    @Override
    public List<String> anchorRequests() {
        return environment.sequencer.anchorRequests();
    }

    /** As {@code Bot.close}: the adapter stops taking input first, then the server, then the engine. */
    @Override
    public synchronized void stop() {
        if (running == null) return;
        adapter.close();
        if (server != null) server.close();
        running.close();
        adapter = null;
        server = null;
        running = null;
    }

    /** As {@code Bot.start}: the adapter from the environment, the engine on it, the operations server, then the adapter. */
    @Override
    public synchronized void start() {
        if (running != null) return;
        running = RunningFirebreak.start(environment, database -> {
            adapter = SlackAdapter.fromEnvironment(credentials, CommandCatalogs.of(environment.config.commands()), Clock.systemUTC(),
                    new JdbcDeliveryLog(database, Clock.systemUTC()))
                    .orElseThrow();
            return adapter.platform();
        });
        SlackAdapter current = adapter;
        if (transport == Transport.HTTP) {
            server = new OperationsServer(0, () -> new Readiness(Map.of("slack", current.connected())),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    Map.of("/slack/events", current.httpEndpoint().orElseThrow())).start();
        }
        adapter.start(running.firebreak().engine());
        if (transport == Transport.SOCKET_MODE) slack.awaitSocketConnections(++socketConnections, Eventually.DEADLINE);
    }

    @Override
    public boolean stopped() {
        return running == null;
    }

    private void requireRunning() {
        if (stopped()) throw new IllegalStateException("Firebreak is stopped");
    }

    @Override
    public void close() {
        try {
            stop();
        } finally {
            slack.close();
        }
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
