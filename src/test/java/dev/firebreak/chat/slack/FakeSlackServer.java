package dev.firebreak.chat.slack;

import dev.firebreak.testing.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A local stand-in for Slack at the network edge: the Web API ({@code /api/METHOD}), response
 * URLs ({@code /respond/ID}) and a Socket Mode WebSocket server speaking Slack's frames (hello,
 * envelopes, acks, disconnect). It keeps a little state (channels, posts, reactions), records
 * every call, and can be told to fail the next call to a method (HTTP 429 with Retry-After,
 * a Slack error code, an HTTP status). Reusable by any suite: {@link #start()}, {@link #close()}.
 */
public final class FakeSlackServer implements AutoCloseable {

    public static final String TEAM_ID = "T0FIRE";
    public static final String BOT_USER_ID = "U0BOT";
    public static final String BOT_ID = "B0BOT";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded request: the Web API method (or {@code response_url}), its parameters, raw body and headers. */
    public record Call(String method, Map<String, String> params, String body, Map<String, String> headers) {
        public String param(String name) {
            return params.get(name);
        }
    }

    /** A failure to answer the next call to a method with. */
    public sealed interface Failure {
        record RateLimited(int retryAfterSeconds) implements Failure {}

        record SlackError(String error) implements Failure {}

        record HttpStatus(int status) implements Failure {}

        /** Slack does the work (the message is posted) but the answer never arrives: the client sees a 503. */
        record AnswerLost() implements Failure {}

        /** A 200 answer with this body, e.g. one the SDK reads but that lacks what the method returns. */
        record Answer(String json) implements Failure {}

        static Failure rateLimited(int retryAfterSeconds) {
            return new RateLimited(retryAfterSeconds);
        }

        static Failure error(String code) {
            return new SlackError(code);
        }

        static Failure status(int status) {
            return new HttpStatus(status);
        }

        /** Answers normally: queued ahead of a failure, it lets that many calls through first. */
        record None() implements Failure {}

        static Failure none() {
            return new None();
        }

        static Failure answerLost() {
            return new AnswerLost();
        }

        static Failure answer(String json) {
            return new Answer(json);
        }
    }

    private final HttpServer http;
    private final SocketServer sockets;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<Call, String> postedTs = new ConcurrentHashMap<>();
    private final Map<String, Queue<Failure>> failures = new ConcurrentHashMap<>();
    private final Map<String, String> channels = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, Map<String, List<String>>> reactions = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger(100);
    private volatile int pageSize = 100;
    /** Posted messages per channel, oldest first, as conversations.history and conversations.replies read them. */
    private final Map<String, List<ObjectNode>> posts = new ConcurrentHashMap<>();
    private final Map<String, PostBucket> postBuckets = new ConcurrentHashMap<>();
    private volatile PostLimit postLimit;
    private volatile Duration latency = Duration.ZERO;
    private final List<java.util.function.BiConsumer<String, ObjectNode>> postWatchers = new CopyOnWriteArrayList<>();
    private final Map<String, java.util.concurrent.CountDownLatch> holds = new ConcurrentHashMap<>();
    private final List<String> heldTooLong = new CopyOnWriteArrayList<>();

    /** Slack's per-channel posting limit: a burst, then one post per interval; time from the given clock. */
    private record PostLimit(int burst, Duration interval, java.time.Clock clock) {}

    private static final class PostBucket {
        double tokens;
        java.time.Instant updated;
    }

    private FakeSlackServer(HttpServer http, SocketServer sockets) {
        this.http = http;
        this.sockets = sockets;
    }

    public static FakeSlackServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            SocketServer sockets = new SocketServer();
            FakeSlackServer fake = new FakeSlackServer(http, sockets);
            http.createContext("/", fake::handle);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.start();
            sockets.setReuseAddr(true);
            sockets.start();
            if (!sockets.started.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("WebSocket server did not start");
            return fake;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start the fake Slack server", e);
        }
    }

    /** The Web API base URL, for {@code SLACK_API_URL}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/api/";
    }

    /** A response_url as Slack puts in slash command payloads. */
    public String responseUrl(String id) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/respond/" + id;
    }

    // ---- state

    public void addChannel(String id, String name) {
        channels.put(id, name);
    }

    /** The id of the channel with this name (one Firebreak created, or one added), if there is one. */
    public java.util.Optional<String> channelNamed(String name) {
        synchronized (channels) {
            return channels.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst();
        }
    }

    /** conversations.list answers at most this many channels a page. */
    public void pageSize(int size) {
        this.pageSize = size;
    }

    public void setReactions(String channel, String ts, Map<String, List<String>> byEmoji) {
        reactions.put(channel + "/" + ts, new LinkedHashMap<>(byEmoji));
    }

    /** Rate-limits chat.postMessage per channel as Slack does: {@code burst} posts, then one per {@code interval} (HTTP 429). */
    public void limitPostsPerChannel(int burst, Duration interval, java.time.Clock clock) {
        postLimit = new PostLimit(burst, interval, clock);
    }

    /** Told of every message posted (chat.postMessage answered ok): its channel and the message as kept, metadata included. */
    public void watchPosts(java.util.function.BiConsumer<String, ObjectNode> watcher) {
        postWatchers.add(watcher);
    }

    /**
     * Answers calls to {@code method} only once {@code release} is open (at most 10 s later, after
     * which it answers anyway and {@link #heldTooLong()} names the method): a slow call whose
     * answer waits for something else to happen first.
     */
    public void holdAnswers(String method, java.util.concurrent.CountDownLatch release) {
        holds.put(method, release);
    }

    /** The methods whose held answers went out because the 10 s were up, not because they were released. */
    public List<String> heldTooLong() {
        return List.copyOf(heldTooLong);
    }

    /** Every Web API answer is delayed by this much, as a distant Slack would be. */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** The messages in a channel (thread replies included), oldest first: what a person would see, each once. */
    public List<String> postedTexts(String channel) {
        List<ObjectNode> list = posts.getOrDefault(channel, List.of());
        synchronized (list) {
            return list.stream().map(m -> m.path("text").asText()).toList();
        }
    }

    /** Lets {@code callsFirst} calls to the method through, then answers the next one with the failure. */
    public void failAfter(String method, int callsFirst, Failure failure) {
        for (int i = 0; i < callsFirst; i++) failNext(method, Failure.none());
        failNext(method, failure);
    }

    public void failNext(String method, Failure failure) {
        failures.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(failure);
    }

    // ---- recorded calls

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** Waits (polling, with a deadline) until {@code count} calls to {@code method} were made. */
    public List<Call> awaitCalls(String method, int count, Duration timeout) {
        Eventually.until(() -> calls(method).size() >= count, timeout, "waiting for " + count + " calls to " + method
                + ", got " + calls(method).size());
        return calls(method);
    }

    /** The ts this fake gave a chat.postMessage call. */
    public String postedTs(Call postMessage) {
        return postedTs.get(postMessage);
    }

    // ---- Socket Mode

    /** Sends an envelope ({@code events_api}, {@code slash_commands}, {@code interactive}); returns its id. */
    public String sendEnvelope(String type, String payloadJson) {
        return sendEnvelope(type, payloadJson, UUID.randomUUID().toString());
    }

    public String sendEnvelope(String type, String payloadJson, String envelopeId) {
        try {
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("envelope_id", envelopeId);
            envelope.put("type", type);
            envelope.set("payload", JSON.readTree(payloadJson));
            envelope.put("accepts_response_payload", !type.equals("events_api"));
            sendFrame(JSON.writeValueAsString(envelope));
            return envelopeId;
        } catch (IOException e) {
            throw new IllegalArgumentException("payload is not JSON", e);
        }
    }

    /** Sends a raw frame to every connected Socket Mode client. */
    public void sendFrame(String frame) {
        sockets.getConnections().forEach(socket -> socket.send(frame));
    }

    /** Asks connected clients to reconnect, as Slack does before it rotates a connection. */
    public void requestReconnect() {
        sendFrame("{\"type\":\"disconnect\",\"reason\":\"refresh_requested\",\"debug_info\":{\"host\":\"fake\"}}");
    }

    /** Acknowledgements received, as raw frames. */
    public List<String> acks() {
        return List.copyOf(sockets.acks);
    }

    public List<String> acksFor(String envelopeId) {
        return sockets.acks.stream().filter(a -> a.contains("\"" + envelopeId + "\"")).toList();
    }

    public int socketConnections() {
        return sockets.opened.get();
    }

    public void awaitSocketConnections(int count, Duration timeout) {
        Eventually.until(() -> sockets.opened.get() >= count && !sockets.getConnections().isEmpty(), timeout, "waiting for " + count + " Socket Mode connections, got " + sockets.opened.get());
    }

    @Override
    public void close() {
        http.stop(0);
        try {
            sockets.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- HTTP handling

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        String method = path.startsWith("/respond/") ? "response_url" : path.replaceFirst("^/api/", "");
        Map<String, String> params = params(body, headers.getOrDefault("content-type", ""));
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) params.putAll(params(query, "application/x-www-form-urlencoded"));
        Call call = new Call(method, Map.copyOf(params), body, Map.copyOf(headers));
        calls.add(call);

        if (!latency.isZero()) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        java.util.concurrent.CountDownLatch hold = holds.get(method);
        try {
            if (hold != null && !hold.await(10, TimeUnit.SECONDS)) heldTooLong.add(method);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Queue<Failure> queued = failures.get(method);
        Failure failure = queued == null ? null : queued.poll();
        if (failure instanceof Failure.None) failure = null;
        if (failure == null && method.equals("chat.postMessage") && !allowPost(params.get("channel"))) {
            failure = Failure.rateLimited((int) Math.max(1, Math.ceil(postLimit.interval().toMillis() / 1000.0)));
        }
        if (failure != null) {
            switch (failure) {
                case Failure.None none -> throw new IllegalStateException("unreachable");
                case Failure.AnswerLost lost -> {
                    ObjectNode unheard = answer(method, params);
                    if (unheard.has("ts")) postedTs.put(call, unheard.get("ts").asText());
                    reply(exchange, 503, "upstream timeout");
                }
                case Failure.RateLimited r -> {
                    exchange.getResponseHeaders().add("Retry-After", String.valueOf(r.retryAfterSeconds()));
                    reply(exchange, 429, "{\"ok\":false,\"error\":\"ratelimited\"}");
                }
                case Failure.SlackError e -> reply(exchange, 200, "{\"ok\":false,\"error\":\"" + e.error() + "\"}");
                case Failure.HttpStatus s -> reply(exchange, s.status(), "upstream trouble");
                case Failure.Answer a -> reply(exchange, 200, a.json());
            }
            return;
        }
        if (method.equals("response_url")) {
            reply(exchange, 200, "ok");
            return;
        }
        ObjectNode answer = answer(method, params);
        if (answer.has("ts")) postedTs.put(call, answer.get("ts").asText());
        reply(exchange, 200, JSON.writeValueAsString(answer));
    }

    private boolean allowPost(String channel) {
        PostLimit limit = postLimit;
        if (limit == null || channel == null) return true;
        PostBucket bucket = postBuckets.computeIfAbsent(channel, c -> {
            PostBucket b = new PostBucket();
            b.tokens = limit.burst();
            b.updated = limit.clock().instant();
            return b;
        });
        synchronized (bucket) {
            java.time.Instant now = limit.clock().instant();
            double refilled = (double) Duration.between(bucket.updated, now).toNanos() / limit.interval().toNanos();
            bucket.tokens = Math.min(limit.burst(), bucket.tokens + Math.max(0, refilled));
            bucket.updated = now;
            if (bucket.tokens < 1) return false;
            bucket.tokens -= 1;
            return true;
        }
    }

    private ObjectNode answer(String method, Map<String, String> params) {
        ObjectNode ok = JSON.createObjectNode().put("ok", true);
        switch (method) {
            case "auth.test" -> ok.put("url", "https://fire.slack.com/").put("team", "Firebreak").put("user", "firebreak")
                    .put("team_id", TEAM_ID).put("user_id", BOT_USER_ID).put("bot_id", BOT_ID);
            case "apps.connections.open" -> ok.put("url", "ws://127.0.0.1:" + sockets.getPort() + "/link/?ticket=fake");
            case "conversations.list" -> {
                int start = params.get("cursor") == null || params.get("cursor").isBlank() ? 0 : Integer.parseInt(params.get("cursor"));
                int limit = Math.min(pageSize, params.get("limit") == null ? 100 : Integer.parseInt(params.get("limit")));
                List<Map.Entry<String, String>> all;
                synchronized (channels) {
                    all = new ArrayList<>(channels.entrySet());
                }
                ArrayNode page = ok.putArray("channels");
                for (int i = start; i < Math.min(all.size(), start + limit); i++) {
                    page.addObject().put("id", all.get(i).getKey()).put("name", all.get(i).getValue());
                }
                int next = start + limit;
                ok.putObject("response_metadata").put("next_cursor", next < all.size() ? String.valueOf(next) : "");
            }
            case "conversations.create" -> {
                String name = params.get("name");
                if (channels.containsValue(name)) return error("name_taken");
                boolean restricted = truthy(params.get("is_private"));
                String id = (restricted ? "G" : "C") + sequence.incrementAndGet();
                channels.put(id, name);
                ok.putObject("channel").put("id", id).put("name", name).put("is_private", restricted);
            }
            case "conversations.invite", "conversations.setTopic" ->
                    ok.putObject("channel").put("id", params.get("channel"));
            case "chat.postMessage" -> {
                String ts = nextTs();
                ok.put("channel", params.get("channel")).put("ts", ts);
                ok.putObject("message").put("ts", ts).put("text", params.get("text"));
                ObjectNode posted = JSON.createObjectNode().put("type", "message").put("ts", ts)
                        .put("text", params.get("text")).put("user", BOT_USER_ID);
                if (params.get("thread_ts") != null) posted.put("thread_ts", params.get("thread_ts"));
                if (params.get("metadata") != null) {
                    try {
                        posted.set("metadata", JSON.readTree(params.get("metadata")));
                    } catch (IOException e) {
                        return error("invalid_metadata_format");
                    }
                }
                List<ObjectNode> list = posts.computeIfAbsent(params.get("channel"), c -> new ArrayList<>());
                synchronized (list) {
                    list.add(posted);
                }
                for (var watcher : postWatchers) watcher.accept(params.get("channel"), posted.deepCopy());
            }
            case "chat.update" -> {
                List<ObjectNode> list = posts.getOrDefault(params.get("channel"), List.of());
                ObjectNode found = null;
                synchronized (list) {
                    for (ObjectNode post : list) if (post.path("ts").asText().equals(params.get("ts"))) found = post;
                    if (found != null) found.put("text", params.get("text"));
                }
                if (found == null) return error("message_not_found");
                ok.put("channel", params.get("channel")).put("ts", params.get("ts")).put("text", params.get("text"));
            }
            case "conversations.history", "conversations.replies" -> {
                boolean replies = method.equals("conversations.replies");
                String parent = params.get("ts");
                boolean withMetadata = truthy(params.get("include_all_metadata"));
                int limit = params.get("limit") == null ? 100 : Integer.parseInt(params.get("limit"));
                List<ObjectNode> list = posts.getOrDefault(params.get("channel"), List.of());
                List<ObjectNode> selected;
                synchronized (list) {
                    selected = list.stream().filter(m -> replies
                            ? parent.equals(m.path("ts").asText()) || parent.equals(m.path("thread_ts").asText())
                            : !m.has("thread_ts")).toList();
                }
                List<ObjectNode> ordered = new ArrayList<>(selected);
                if (!replies) java.util.Collections.reverse(ordered); // history is newest first
                ArrayNode messages = ok.putArray("messages");
                for (ObjectNode m : ordered.subList(0, Math.min(limit, ordered.size()))) {
                    ObjectNode copy = m.deepCopy();
                    if (!withMetadata) copy.remove("metadata");
                    messages.add(copy);
                }
                ok.put("has_more", ordered.size() > limit);
            }
            case "chat.postEphemeral" -> ok.put("message_ts", nextTs());
            case "pins.add" -> { }
            case "reactions.add" -> {
                String key = params.get("channel") + "/" + params.get("timestamp");
                reactions.computeIfAbsent(key, k -> new LinkedHashMap<>())
                        .computeIfAbsent(params.get("name"), n -> new ArrayList<>()).add(BOT_USER_ID);
            }
            case "reactions.get" -> {
                String key = params.get("channel") + "/" + params.get("timestamp");
                ok.put("type", "message").put("channel", params.get("channel"));
                ObjectNode message = ok.putObject("message").put("type", "message").put("ts", params.get("timestamp"));
                ArrayNode list = message.putArray("reactions");
                reactions.getOrDefault(key, Map.of()).forEach((emoji, users) -> {
                    ObjectNode reaction = list.addObject().put("name", emoji).put("count", users.size());
                    users.forEach(reaction.putArray("users")::add);
                });
            }
            default -> {
                return error("unknown_method");
            }
        }
        return ok;
    }

    /** Slack accepts true/1 for booleans; the SDK sends 1. */
    static boolean truthy(String value) {
        return "1".equals(value) || "true".equalsIgnoreCase(value);
    }

    private static ObjectNode error(String code) {
        return JSON.createObjectNode().put("ok", false).put("error", code);
    }

    private String nextTs() {
        return "1700000000." + String.format("%06d", sequence.incrementAndGet());
    }

    private static Map<String, String> params(String body, String contentType) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body == null || body.isBlank()) return params;
        if (contentType.contains("json")) {
            try {
                JsonNode node = JSON.readTree(body);
                node.fields().forEachRemaining(e -> params.put(e.getKey(),
                        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            } catch (IOException e) {
                params.put("_unparsable", body);
            }
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", body.startsWith("{") ? "application/json; charset=utf-8" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static final class SocketServer extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger opened = new AtomicInteger();
        final List<String> acks = new CopyOnWriteArrayList<>();

        SocketServer() {
            super(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            opened.incrementAndGet();
            conn.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"fake\"},"
                    + "\"connection_info\":{\"app_id\":\"A0FIRE\"}}");
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {}

        @Override
        public void onMessage(WebSocket conn, String message) {
            acks.add(message);
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {}

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
