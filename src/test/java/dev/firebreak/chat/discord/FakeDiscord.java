package dev.firebreak.chat.discord;

import dev.firebreak.testing.Eventually;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A local stand-in for Discord at the network edge: the REST API under {@code /api/v10/} and the
 * gateway WebSocket under {@code /gateway}, speaking enough of both for JDA to log in, receive a
 * guild, interactions, reactions and messages, and make the calls Firebreak needs. It records every
 * REST call, keeps channels, messages and reactions, and fails chosen calls on request.
 *
 * <p>Use: {@code new FakeDiscord().start()}, give Firebreak {@link #environment()}, drive it with
 * {@link #interaction}, {@link #reactionAdded}, {@link #messageCreated}, {@link #dropConnection};
 * observe with {@link #awaitCall}, {@link #calls}, {@link #messagesIn}, {@link #reactionUsers};
 * inject failures with {@link #fail} and {@link #rateLimit}; {@link #close()} when done.
 *
 * <p>The world it serves: the bot ({@link #BOT_ID}, administrator on its server), server
 * {@link #GUILD_ID} with #incidents and #ops-alerts and members Alice and Bob, and a second server
 * {@link #OTHER_GUILD_ID} the bot is also on, where Mallory is (she is not on the first).
 */
public final class FakeDiscord implements AutoCloseable {

    /** The field of an attachment in which the fake keeps the file's text ({@link DiscordChatDriver}'s texts include it). */
    public static final String ATTACHED_TEXT = "attached_text";

    private static String read(io.javalin.http.UploadedFile file) {
        try (java.io.InputStream in = file.content()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


    public static final String GUILD_ID = "900000000000000001";
    public static final String OTHER_GUILD_ID = "900000000000000002";
    public static final String BOT_ID = "800000000000000001";
    public static final String APPLICATION_ID = "800000000000000001";
    public static final String BOT_ROLE_ID = "900000000000000101";
    public static final String INCIDENTS_CHANNEL_ID = "910000000000000001";
    public static final String ALERTS_CHANNEL_ID = "910000000000000002";
    public static final String OTHER_GUILD_CHANNEL_ID = "910000000000000009";
    /** A thread under #incidents. */
    public static final String THREAD_ID = "910000000000000003";
    public static final String ALICE = "700000000000000001";
    public static final String BOB = "700000000000000002";
    public static final String MALLORY = "700000000000000666";
    public static final String TOKEN = "fake-bot-token";

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Call(String method, String path, String body, Instant at) {
        public JsonNode json() {
            try {
                return JSON.readTree(body.isEmpty() ? "{}" : body);
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private record Failure(String method, Pattern path, int status, int code, String message, double retryAfter, AtomicInteger remaining) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Call>> callWatchers = new CopyOnWriteArrayList<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Map<String, Object>> channels = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> messages = new ConcurrentHashMap<>();
    /** Messages created with enforce_nonce, by channel and nonce: Discord answers a repeat with the first. */
    private final Map<String, Map<String, Object>> messagesByNonce = new ConcurrentHashMap<>();
    private final List<Failure> lostAnswers = new CopyOnWriteArrayList<>();
    private final Map<String, Map<String, Set<String>>> reactions = new ConcurrentHashMap<>();
    private final Set<String> guildMembers = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger identifies = new AtomicInteger();
    private final AtomicInteger resumes = new AtomicInteger();
    private final List<JsonNode> identifyPayloads = new CopyOnWriteArrayList<>();
    private volatile boolean acceptResume;
    private volatile WsContext gateway;
    private volatile String sessionId = "session-0";
    private Javalin server;

    public FakeDiscord() {
        channels.put(INCIDENTS_CHANNEL_ID, textChannel(INCIDENTS_CHANNEL_ID, "incidents", null, 1));
        channels.put(ALERTS_CHANNEL_ID, textChannel(ALERTS_CHANNEL_ID, "ops-alerts", null, 2));
        guildMembers.addAll(List.of(BOT_ID, ALICE, BOB));
    }

    public FakeDiscord start() {
        server = Javalin.create(config -> {
            config.showJavalinBanner = false;
        });
        for (HandlerType type : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
            server.addHttpHandler(type, "/api/v10/<path>", this::rest);
        }
        server.ws("/gateway", ws -> {
            ws.onConnect(ctx -> {
                ctx.session.setIdleTimeout(Duration.ofMinutes(10));
                gateway = ctx;
                send(ctx, Map.of("op", 10, "d", Map.of("heartbeat_interval", 41250)));
            });
            ws.onMessage(ctx -> onGateway(ctx, JSON.readTree(ctx.message())));
            ws.onClose(ctx -> {
                if (gateway != null && gateway.session == ctx.session) gateway = null;
            });
        });
        server.start("127.0.0.1", 0);
        return this;
    }

    @Override
    public void close() {
        if (server != null) server.stop();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.port() + "/api/v10/";
    }

    public String gatewayUrl() {
        return "ws://127.0.0.1:" + server.port() + "/gateway";
    }

    /** The environment Firebreak reads, pointing at this fake. */
    public Map<String, String> environment() {
        return Map.of(DiscordSettings.TOKEN, TOKEN, DiscordSettings.GUILD, GUILD_ID,
                DiscordSettings.API_URL, apiUrl(), DiscordSettings.GATEWAY_URL, gatewayUrl());
    }

    // ---- recorded calls and injected failures ----

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Forgets the recorded calls (state such as messages and reactions stays). */
    public void clearCalls() {
        calls.clear();
    }

    public List<Call> calls(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return calls.stream().filter(c -> c.method().matches(method) && pattern.matcher(c.path()).matches()).toList();
    }

    /** Tells {@code watcher} about every REST call as it arrives (on the server's thread; keep it quick). */
    public void watchCalls(java.util.function.Consumer<Call> watcher) {
        callWatchers.add(watcher);
    }

    /** Waits (polling, up to {@code timeout}) for a call, and returns the first that matches. */
    public Call awaitCall(String method, String pathRegex, Duration timeout) {
        return awaitCall(method, pathRegex, c -> true, timeout);
    }

    public Call awaitCall(String method, String pathRegex, Predicate<Call> condition, Duration timeout) {
        try {
            Eventually.until(() -> calls(method, pathRegex).stream().anyMatch(condition), timeout, "for " + method + " " + pathRegex);
        } catch (AssertionError e) {
            throw new AssertionError("no " + method + " " + pathRegex + " within " + timeout + "; calls were:\n"
                    + String.join("\n", calls.stream().map(c -> c.method() + " " + c.path()).toList()));
        }
        return calls(method, pathRegex).stream().filter(condition).findFirst().orElseThrow();
    }

    /** The next {@code times} calls matching answer {@code status} with a Discord error body instead. */
    public void fail(String method, String pathRegex, int status, int code, String message, int times) {
        failures.add(new Failure(method, Pattern.compile(pathRegex), status, code, message, 0, new AtomicInteger(times)));
    }

    /** The next {@code times} calls matching answer 429 with {@code retry_after} seconds. */
    /** Does the next {@code times} matching calls but loses their answers: the client sees a 504. */
    public void loseAnswers(String method, String pathRegex, int times) {
        lostAnswers.add(new Failure(method, Pattern.compile(pathRegex), 504, 0, "Gateway Timeout", 0, new AtomicInteger(times)));
    }

    public void rateLimit(String method, String pathRegex, double retryAfterSeconds, int times) {
        failures.add(new Failure(method, Pattern.compile(pathRegex), 429, 0, "You are being rate limited.", retryAfterSeconds, new AtomicInteger(times)));
    }

    // ---- state ----

    public void addGuildMember(String userId) {
        guildMembers.add(userId);
    }

    public Map<String, Object> channel(String id) {
        return channels.get(id);
    }

    /** The channel of that name and Discord channel type (0 text, 4 category); a category and a text channel may share a name. */
    public Map<String, Object> channelNamed(String name, int type) {
        return channels.values().stream()
                .filter(c -> name.equals(c.get("name")) && ((Number) c.getOrDefault("type", 0)).intValue() == type)
                .findFirst().orElse(null);
    }

    public Map<String, Object> message(String id) {
        return messages.get(id);
    }

    public List<Map<String, Object>> messagesIn(String channelId) {
        return messages.values().stream().filter(m -> channelId.equals(m.get("channel_id")))
                .sorted((a, b) -> ((String) a.get("id")).compareTo((String) b.get("id"))).toList();
    }

    /** A message posted by someone other than the bot, e.g. the approval message the engine waits on. */
    public String storeMessage(String channelId, String authorId, String content) {
        Map<String, Object> message = message(nextId(), channelId, user(authorId, "user-" + authorId, false), content, List.of());
        messages.put((String) message.get("id"), message);
        return (String) message.get("id");
    }

    /** A reaction Discord knows about but never told the bot (given while it was disconnected). */
    public void addReactionSilently(String messageId, String emoji, String userId) {
        reactions.computeIfAbsent(messageId, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(emoji, k -> Collections.synchronizedSet(new LinkedHashSet<>())).add(userId);
    }

    /** A reaction taken away while nobody listens: Discord forgets it and sends no event. */
    public void removeReactionSilently(String messageId, String emoji, String userId) {
        Set<String> users = reactions.getOrDefault(messageId, Map.of()).get(emoji);
        if (users != null) users.remove(userId);
    }

    /**
     * Archives a thread as Discord does after its inactivity timeout ({@code locked}: as a moderator
     * locking it). {@code tellGateway}: Discord sends THREAD_UPDATE, after which JDA forgets the
     * thread; false stands for an update the bot missed (it was not connected, or the event was lost).
     */
    public void archiveThread(String threadId, boolean locked, boolean tellGateway) {
        Map<String, Object> thread = channels.get(threadId);
        setArchived(thread, true, locked);
        if (tellGateway && gateway != null) dispatch("THREAD_UPDATE", withGuild(thread, GUILD_ID));
    }

    @SuppressWarnings("unchecked")
    private static boolean archived(Map<String, Object> channel) {
        return channel != null && channel.get("thread_metadata") instanceof Map<?, ?> metadata
                && Boolean.TRUE.equals(((Map<String, Object>) metadata).get("archived"));
    }

    @SuppressWarnings("unchecked")
    private static boolean locked(Map<String, Object> channel) {
        return channel.get("thread_metadata") instanceof Map<?, ?> metadata
                && Boolean.TRUE.equals(((Map<String, Object>) metadata).get("locked"));
    }

    @SuppressWarnings("unchecked")
    private static void setArchived(Map<String, Object> thread, boolean archived, boolean locked) {
        Map<String, Object> metadata = new LinkedHashMap<>((Map<String, Object>) thread.get("thread_metadata"));
        metadata.put("archived", archived);
        metadata.put("locked", locked);
        metadata.put("archive_timestamp", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString());
        thread.put("thread_metadata", metadata);
    }

    public Set<String> reactionUsers(String messageId, String emoji) {
        return Set.copyOf(reactions.getOrDefault(messageId, Map.of()).getOrDefault(emoji, Set.of()));
    }

    // ---- gateway ----

    public int identifies() {
        return identifies.get();
    }

    public int resumes() {
        return resumes.get();
    }

    public List<JsonNode> identifyPayloads() {
        return List.copyOf(identifyPayloads);
    }

    public boolean connected() {
        return gateway != null;
    }

    /** Whether a RESUME is answered with RESUMED (true) or with an invalid session, forcing a new IDENTIFY. */
    public void acceptResume(boolean accept) {
        this.acceptResume = accept;
    }

    /** Drops the gateway connection with a close code that lets the client reconnect (4000, unknown error). */
    public void dropConnection() {
        WsContext current = gateway;
        if (current != null) current.closeSession(4000, "unknown error");
    }

    /** Sends a slash command; returns the interaction id. Options are name/value pairs in the order the person typed them. */
    public String interaction(String userId, String channelId, String command, String subcommand, Map<String, Object> options) {
        return interaction(GUILD_ID, userId, channelId, command, subcommand, options);
    }

    public String interaction(String guildId, String userId, String channelId, String command, String subcommand, Map<String, Object> options) {
        return interaction(newId(), guildId, userId, channelId, command, subcommand, options);
    }

    /**
     * Sends a slash command under an id chosen beforehand (a grouped subcommand is written
     * {@code "group sub"}) with {@link #newId()}, so timings can be taken before it goes out. */
    public String interaction(String id, String guildId, String userId, String channelId, String command, String subcommand,
                              Map<String, Object> options) {
        List<Map<String, Object>> optionList = new ArrayList<>();
        options.forEach((name, value) -> optionList.add(Map.of("name", name,
                "type", value instanceof Number ? 4 : value instanceof Boolean ? 5 : 3, "value", value)));
        // "chain block" is subcommand block in group chain, as Discord nests it
        Object nested = subcommand == null ? optionList
                : subcommand.contains(" ")
                ? List.of(obj("name", subcommand.split(" ")[0], "type", 2, "options",
                        List.of(obj("name", subcommand.split(" ")[1], "type", 1, "options", optionList))))
                : List.of(obj("name", subcommand, "type", 1, "options", optionList));
        Map<String, Object> data = obj("id", "960000000000000001", "name", command, "type", 1, "guild_id", guildId,
                "options", nested);
        Map<String, Object> channel = channels.getOrDefault(channelId, textChannel(channelId, "elsewhere", null, 9));
        Map<String, Object> payload = obj("id", id, "application_id", APPLICATION_ID, "type", 2, "token", "token-" + id,
                "version", 1, "guild_id", guildId, "channel_id", channelId,
                "guild", obj("id", guildId, "locale", "en-US", "features", List.of()),
                "channel", withGuild(channel, guildId),
                "member", member(userId, "2147483647"), "data", data,
                "locale", "en-US", "guild_locale", "en-US", "app_permissions", "2147483647",
                "entitlements", List.of(), "authorizing_integration_owners", Map.of("0", guildId),
                "context", 0, "attachment_size_limit", 10485760);
        dispatch("INTERACTION_CREATE", payload);
        return id;
    }

    public void reactionAdded(String guildId, String channelId, String messageId, String userId, String emoji) {
        addReactionSilently(messageId, emoji, userId);
        Map<String, Object> payload = obj("user_id", userId, "channel_id", channelId, "message_id", messageId,
                "emoji", obj("id", null, "name", emoji), "burst", false, "type", 0, "message_author_id", BOT_ID);
        if (guildId != null) {
            payload.put("guild_id", guildId);
            payload.put("member", member(userId, null));
        }
        dispatch("MESSAGE_REACTION_ADD", payload);
    }

    public void reactionRemoved(String guildId, String channelId, String messageId, String userId, String emoji) {
        Set<String> users = reactions.getOrDefault(messageId, Map.of()).get(emoji);
        if (users != null) users.remove(userId);
        Map<String, Object> payload = obj("user_id", userId, "channel_id", channelId, "message_id", messageId,
                "emoji", obj("id", null, "name", emoji), "burst", false, "type", 0);
        if (guildId != null) payload.put("guild_id", guildId);
        dispatch("MESSAGE_REACTION_REMOVE", payload);
    }

    public String messageCreated(String channelId, String authorId, String content) {
        String id = storeMessage(channelId, authorId, content);
        Map<String, Object> payload = new LinkedHashMap<>(messages.get(id));
        payload.put("guild_id", GUILD_ID);
        payload.put("member", member(authorId, null));
        dispatch("MESSAGE_CREATE", payload);
        return id;
    }

    /** A message posted by a webhook (an alerting system), with one embed. */
    public String webhookMessageCreated(String channelId, String webhookId, String name, String title, String description) {
        String id = nextId();
        Map<String, Object> author = user(webhookId, name, true);
        author.put("discriminator", "0000");
        Map<String, Object> message = message(id, channelId, author, "",
                List.of(obj("type", "rich", "title", title, "description", description)));
        message.put("webhook_id", webhookId);
        messages.put(id, message);
        Map<String, Object> payload = new LinkedHashMap<>(message);
        payload.put("guild_id", GUILD_ID);
        dispatch("MESSAGE_CREATE", payload);
        return id;
    }

    public synchronized void dispatch(String type, Map<String, Object> data) {
        WsContext current = gateway;
        if (current == null) throw new IllegalStateException("no gateway connection to dispatch " + type + " on");
        send(current, obj("op", 0, "t", type, "s", sequence.incrementAndGet(), "d", data));
    }

    private void onGateway(WsContext ctx, JsonNode frame) {
        switch (frame.path("op").asInt()) {
            case 1 -> send(ctx, Map.of("op", 11));
            case 2 -> {
                identifies.incrementAndGet();
                identifyPayloads.add(frame.path("d"));
                sessionId = "session-" + identifies.get();
                sequence.set(0);
                ready(ctx);
            }
            case 6 -> {
                resumes.incrementAndGet();
                if (acceptResume && frame.path("d").path("session_id").asText().equals(sessionId)) {
                    synchronized (this) {
                        send(ctx, obj("op", 0, "t", "RESUMED", "s", sequence.incrementAndGet(), "d", Map.of()));
                    }
                } else {
                    send(ctx, Map.of("op", 9, "d", false));
                }
            }
            default -> { }
        }
    }

    private synchronized void ready(WsContext ctx) {
        Map<String, Object> ready = obj("v", 10, "user", user(BOT_ID, "firebreak", true),
                "guilds", List.of(obj("id", GUILD_ID, "unavailable", true), obj("id", OTHER_GUILD_ID, "unavailable", true)),
                "session_id", sessionId, "resume_gateway_url", gatewayUrl(),
                "application", obj("id", APPLICATION_ID, "flags", 0), "private_channels", List.of(),
                "relationships", List.of(), "presences", List.of(), "guild_join_requests", List.of(),
                "geo_ordered_rtc_regions", List.of(), "user_settings", Map.of(), "shard", List.of(0, 1));
        send(ctx, obj("op", 0, "t", "READY", "s", sequence.incrementAndGet(), "d", ready));
        List<Map<String, Object>> ours = new ArrayList<>(channels.values().stream()
                .filter(c -> !OTHER_GUILD_CHANNEL_ID.equals(c.get("id")) && !Integer.valueOf(11).equals(c.get("type"))).toList());
        send(ctx, obj("op", 0, "t", "GUILD_CREATE", "s", sequence.incrementAndGet(),
                "d", guild(GUILD_ID, "Firebreak Ops", ours, List.copyOf(guildMembers))));
        send(ctx, obj("op", 0, "t", "GUILD_CREATE", "s", sequence.incrementAndGet(),
                "d", guild(OTHER_GUILD_ID, "Somewhere Else",
                        List.of(textChannel(OTHER_GUILD_CHANNEL_ID, "general", null, 1)), List.of(BOT_ID, MALLORY))));
    }

    // ---- REST ----

    private void rest(Context ctx) {
        String method = ctx.method().name();
        String path = ctx.pathParam("path");
        String body;
        boolean multipart = String.valueOf(ctx.contentType()).startsWith("multipart/");
        if (multipart) {
            body = String.valueOf(ctx.formParam("payload_json"));
        } else {
            body = ctx.body();
        }
        Call call = new Call(method, path, body, Instant.now());
        calls.add(call);
        callWatchers.forEach(watcher -> watcher.accept(call));
        for (Failure failure : failures) {
            if (failure.method().equals(method) && failure.path().matcher(path).matches()
                    && failure.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (failure.status() == 429) {
                    ctx.header("Retry-After", String.valueOf((int) Math.ceil(failure.retryAfter())));
                    ctx.header("Via", "1.1 google");
                    ctx.header("X-RateLimit-Scope", "user");
                    ctx.header("X-RateLimit-Limit", "5");
                    ctx.header("X-RateLimit-Remaining", "0");
                    ctx.header("X-RateLimit-Reset-After", String.valueOf(failure.retryAfter()));
                    ctx.header("X-RateLimit-Bucket", "fake-" + failure.path().pattern().hashCode());
                    json(ctx, 429, obj("message", failure.message(), "retry_after", failure.retryAfter(), "global", false));
                } else {
                    json(ctx, failure.status(), obj("message", failure.message(), "code", failure.code()));
                }
                return;
            }
        }
        try {
            route(ctx, method, path, call, multipart);
            for (Failure lost : lostAnswers) {
                if (lost.method().equals(method) && lost.path().matcher(path).matches()
                        && lost.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    json(ctx, 504, obj("message", lost.message(), "code", 0));
                    return;
                }
            }
        } catch (Exception e) {
            json(ctx, 500, obj("message", "fake Discord failed: " + e, "code", 0));
        }
    }

    private void route(Context ctx, String method, String path, Call call, boolean multipart) throws Exception {
        String[] p = path.split("/");
        String route = method + " " + path.replaceAll("\\d{15,20}", "{id}").replaceAll("token-\\{id}", "{token}");
        switch (route) {
            case "GET users/@me" -> json(ctx, 200, user(BOT_ID, "firebreak", true));
            case "GET gateway/bot" -> json(ctx, 200, obj("url", gatewayUrl(), "shards", 1,
                    "session_start_limit", obj("total", 1000, "remaining", 1000, "reset_after", 0, "max_concurrency", 1)));
            case "PUT applications/{id}/guilds/{id}/commands" -> {
                List<Object> registered = new ArrayList<>();
                for (JsonNode command : call.json()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> copy = JSON.convertValue(command, LinkedHashMap.class);
                    copy.put("id", nextId());
                    copy.put("application_id", APPLICATION_ID);
                    copy.put("guild_id", p[3]);
                    copy.put("version", nextId());
                    copy.putIfAbsent("type", 1);
                    copy.putIfAbsent("default_member_permissions", null);
                    copy.putIfAbsent("nsfw", false);
                    registered.add(copy);
                }
                json(ctx, 200, registered);
            }
            case "POST interactions/{id}/{token}/callback" -> json(ctx, 200, obj(
                    "interaction", obj("id", p[1], "type", 2, "activity_instance_id", null, "response_message_id", null,
                            "response_message_loading", call.json().path("type").asInt() == 5,
                            "response_message_ephemeral", (call.json().path("data").path("flags").asInt() & 64) != 0),
                    "resource", obj("type", call.json().path("type").asInt())));
            case "PATCH webhooks/{id}/{token}/messages/@original", "POST webhooks/{id}/{token}" -> {
                JsonNode sent = call.json();
                Map<String, Object> message = message(nextId(), INCIDENTS_CHANNEL_ID, user(BOT_ID, "firebreak", true),
                        sent.path("content").asText(""), embeds(sent));
                message.put("webhook_id", APPLICATION_ID);
                message.put("flags", sent.path("flags").asInt(0));
                json(ctx, 200, message);
            }
            case "DELETE webhooks/{id}/{token}/messages/@original" -> ctx.status(204);
            case "POST channels/{id}/messages" -> {
                Map<String, Object> target = channels.get(p[1]);
                if (archived(target)) {
                    // "Sending a message will automatically unarchive the thread, unless the thread has been locked by a moderator"
                    if (locked(target)) {
                        json(ctx, 400, obj("message", "Thread is archived", "code", 50083));
                        return;
                    }
                    setArchived(target, false, false);
                    if (gateway != null) dispatch("THREAD_UPDATE", withGuild(target, GUILD_ID));
                }
                JsonNode sent = call.json();
                String nonceKey = sent.path("enforce_nonce").asBoolean(false) && sent.hasNonNull("nonce")
                        ? p[1] + "/" + sent.path("nonce").asText() : null;
                if (nonceKey != null && messagesByNonce.containsKey(nonceKey)) {
                    json(ctx, 200, messagesByNonce.get(nonceKey));
                    return;
                }
                Map<String, Object> message = message(nextId(), p[1], user(BOT_ID, "firebreak", true),
                        sent.path("content").asText(""), embeds(sent));
                if (multipart) {
                    List<Object> attachments = new ArrayList<>();
                    // the file's text is kept with it (a field Discord does not have), so tests read what was attached
                    ctx.uploadedFiles().forEach(file -> attachments.add(obj("id", nextId(), "filename", file.filename(),
                            "size", file.size(), "url", "http://127.0.0.1/" + file.filename(),
                            "proxy_url", "http://127.0.0.1/" + file.filename(), ATTACHED_TEXT, read(file))));
                    message.put("attachments", attachments);
                }
                if (nonceKey != null) {
                    message.put("nonce", sent.path("nonce").asText());
                    messagesByNonce.put(nonceKey, message);
                }
                messages.put((String) message.get("id"), message);
                json(ctx, 200, message);
            }
            case "POST channels/{id}/messages/{id}/threads" -> {
                // A thread started on a message has the message's id; Discord refuses a second one.
                if (channels.containsKey(p[3])) {
                    json(ctx, 400, obj("message", "A thread has already been created for this message", "code", 160004));
                    return;
                }
                Map<String, Object> thread = thread(p[3], p[1], call.json().path("name").asText("thread"), GUILD_ID);
                channels.put(p[3], thread);
                if (gateway != null) dispatch("THREAD_CREATE", withGuild(thread, GUILD_ID));
                json(ctx, 201, thread);
            }
            case "GET channels/{id}/threads/archived/public" -> {
                @SuppressWarnings("unchecked")
                List<Object> archivedThreads = channels.values().stream()
                        .filter(c -> p[1].equals(c.get("parent_id")) && archived(c))
                        .sorted((a, b) -> String.valueOf(((Map<String, Object>) b.get("thread_metadata")).get("archive_timestamp"))
                                .compareTo(String.valueOf(((Map<String, Object>) a.get("thread_metadata")).get("archive_timestamp"))))
                        .map(c -> (Object) withGuild(c, GUILD_ID)).toList();
                json(ctx, 200, obj("threads", archivedThreads, "members", List.of(), "has_more", false));
            }
            case "PATCH channels/{id}/messages/{id}" -> {
                Map<String, Object> message = messages.get(p[3]);
                if (message == null || !p[1].equals(message.get("channel_id"))) {
                    json(ctx, 404, obj("message", "Unknown Message", "code", 10008));
                    return;
                }
                JsonNode sent = call.json();
                Map<String, Object> edited = message(p[3], p[1], user(BOT_ID, "firebreak", true),
                        sent.path("content").asText(""), embeds(sent));
                edited.put("edited_timestamp", "2026-11-23T03:00:00.000000+00:00");
                messages.put(p[3], edited);
                json(ctx, 200, edited);
            }
            case "GET channels/{id}/messages/{id}" -> {
                Map<String, Object> message = messages.get(p[3]);
                if (message == null) {
                    json(ctx, 404, obj("message", "Unknown Message", "code", 10008));
                    return;
                }
                Map<String, Object> copy = new LinkedHashMap<>(message);
                List<Object> counts = new ArrayList<>();
                reactions.getOrDefault(p[3], Map.of()).forEach((emoji, users) -> {
                    if (!users.isEmpty()) counts.add(obj("count", users.size(), "me", users.contains(BOT_ID),
                            "me_burst", false, "burst_colors", List.of(),
                            "count_details", obj("normal", users.size(), "burst", 0), "emoji", obj("id", null, "name", emoji)));
                });
                copy.put("reactions", counts);
                json(ctx, 200, copy);
            }
            case "PUT channels/{id}/messages/{id}/reactions/" -> ctx.status(404);
            case "PUT channels/{id}/pins/{id}", "PUT channels/{id}/messages/pins/{id}" -> {
                Map<String, Object> message = messages.get(p[p.length - 1]);
                if (message != null) message.put("pinned", true);
                ctx.status(204);
            }
            case "PATCH channels/{id}" -> {
                Map<String, Object> channel = channels.get(p[1]);
                call.json().properties().forEach(e -> channel.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
                json(ctx, 200, withGuild(channel, GUILD_ID));
            }
            case "POST guilds/{id}/channels" -> {
                JsonNode sent = call.json();
                int type = sent.path("type").asInt(0);
                String id = nextId();
                Map<String, Object> channel = type == 4
                        ? category(id, sent.path("name").asText())
                        : textChannel(id, sent.path("name").asText(), sent.path("parent_id").isNull() ? null : sent.path("parent_id").asText(null), 10);
                List<Object> overwrites = new ArrayList<>();
                sent.path("permission_overwrites").forEach(o -> overwrites.add(JSON.convertValue(o, Map.class)));
                channel.put("permission_overwrites", overwrites);
                channels.put(id, channel);
                // Discord announces a channel (and a thread, below) on the gateway too, ahead of anything in it
                if (gateway != null) dispatch("CHANNEL_CREATE", withGuild(channel, p[1]));
                json(ctx, 201, withGuild(channel, p[1]));
            }
            case "GET guilds/{id}/members/{id}" -> json(ctx, 200, member(p[3], null));
            case "PUT channels/{id}/permissions/{id}" -> {
                Map<String, Object> channel = channels.get(p[1]);
                @SuppressWarnings("unchecked")
                List<Object> overwrites = new ArrayList<>((List<Object>) channel.getOrDefault("permission_overwrites", List.of()));
                Map<String, Object> overwrite = new LinkedHashMap<>(JSON.convertValue(call.json(), Map.class));
                overwrite.put("id", p[3]);
                overwrites.removeIf(o -> p[3].equals(String.valueOf(((Map<?, ?>) o).get("id"))));
                overwrites.add(overwrite);
                channel.put("permission_overwrites", overwrites);
                ctx.status(204);
            }
            case "POST users/@me/channels" -> json(ctx, 200, obj("id", "920" + call.json().path("recipient_id").asText().substring(3),
                    "type", 1, "last_message_id", null, "recipients", List.of(user(call.json().path("recipient_id").asText(), "someone", false))));
            default -> {
                if (method.equals("PUT") && path.matches("channels/\\d+/messages/\\d+/reactions/[^/]+/@me")) {
                    addReactionSilently(p[3], URLDecoder.decode(p[5], StandardCharsets.UTF_8), BOT_ID);
                    ctx.status(204);
                } else if (method.equals("GET") && path.matches("channels/\\d+/messages/\\d+/reactions/[^/]+")) {
                    String emoji = URLDecoder.decode(p[5], StandardCharsets.UTF_8);
                    String after = ctx.queryParam("after");
                    List<Object> users = reactions.getOrDefault(p[3], Map.of()).getOrDefault(emoji, Set.of()).stream()
                            .sorted()
                            .filter(id -> after == null || Long.parseUnsignedLong(id) > Long.parseUnsignedLong(after))
                            .map(id -> (Object) user(id, "user-" + id, id.equals(BOT_ID))).toList();
                    json(ctx, 200, users);
                } else {
                    json(ctx, 404, obj("message", "404: Not Found (fake has no " + method + " " + path + ")", "code", 0));
                }
            }
        }
    }

    // ---- entities ----

    /** A snowflake for now: Discord ids carry their creation time, and JDA treats old interactions as expired. */
    public String newId() {
        return nextId();
    }

    private String nextId() {
        long now = (System.currentTimeMillis() - 1420070400000L) << 22;
        return Long.toString(ids.updateAndGet(last -> Math.max(last + 1, now)));
    }

    static Map<String, Object> obj(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], pairs[i + 1]);
        return map;
    }

    private static Map<String, Object> user(String id, String name, boolean bot) {
        return obj("id", id, "username", name, "global_name", name, "discriminator", "0", "avatar", null,
                "bot", bot, "system", false, "public_flags", 0, "flags", 0);
    }

    private static Map<String, Object> member(String userId, String permissions) {
        Map<String, Object> member = obj("user", user(userId, "user-" + userId, userId.equals(BOT_ID)),
                "roles", userId.equals(BOT_ID) ? List.of(BOT_ROLE_ID) : List.of(), "joined_at", "2026-01-01T00:00:00.000000+00:00",
                "deaf", false, "mute", false, "flags", 0, "pending", false, "nick", null, "avatar", null,
                "premium_since", null, "communication_disabled_until", null);
        if (permissions != null) member.put("permissions", permissions);
        return member;
    }

    private static Map<String, Object> role(String id, String name, String permissions, int position) {
        return obj("id", id, "name", name, "permissions", permissions, "position", position, "color", 0,
                "colors", obj("primary_color", 0, "secondary_color", null, "tertiary_color", null),
                "hoist", false, "managed", false, "mentionable", false, "flags", 0, "icon", null, "unicode_emoji", null);
    }

    private static Map<String, Object> textChannel(String id, String name, String parentId, int position) {
        return obj("id", id, "type", 0, "name", name, "position", position, "permission_overwrites", new ArrayList<>(),
                "parent_id", parentId, "topic", null, "nsfw", false, "rate_limit_per_user", 0, "last_message_id", null, "flags", 0);
    }

    private static Map<String, Object> thread(String id, String parentId, String name, String guildId) {
        return obj("id", id, "type", 11, "guild_id", guildId, "parent_id", parentId, "name", name, "owner_id", BOT_ID,
                "last_message_id", null, "rate_limit_per_user", 0, "message_count", 0, "member_count", 1, "flags", 0,
                "total_message_sent", 0, "applied_tags", List.of(),
                "thread_metadata", obj("archived", false, "auto_archive_duration", 1440,
                        "archive_timestamp", "2026-01-01T00:00:00.000000+00:00", "locked", false, "invitable", true,
                        "create_timestamp", "2026-01-01T00:00:00.000000+00:00"));
    }

    private static Map<String, Object> category(String id, String name) {
        return obj("id", id, "type", 4, "name", name, "position", 20, "permission_overwrites", new ArrayList<>(),
                "parent_id", null, "nsfw", false, "flags", 0);
    }

    private static Map<String, Object> withGuild(Map<String, Object> channel, String guildId) {
        Map<String, Object> copy = new LinkedHashMap<>(channel);
        copy.put("guild_id", guildId);
        return copy;
    }

    private Map<String, Object> guild(String id, String name, List<Map<String, Object>> guildChannels, List<String> memberIds) {
        List<Object> members = memberIds.stream().map(m -> (Object) member(m, null)).toList();
        return obj("id", id, "name", name, "icon", null, "splash", null, "discovery_splash", null, "banner", null,
                "description", null, "owner_id", ALICE, "afk_channel_id", null, "afk_timeout", 300,
                "verification_level", 0, "default_message_notifications", 0, "explicit_content_filter", 0,
                "mfa_level", 0, "nsfw_level", 0, "premium_tier", 0, "premium_subscription_count", 0,
                "features", List.of(), "preferred_locale", "en-US", "system_channel_id", null, "rules_channel_id", null,
                "public_updates_channel_id", null, "safety_alerts_channel_id", null, "vanity_url_code", null,
                "max_members", 500000, "max_presences", null, "member_count", members.size(), "large", false,
                "unavailable", false, "joined_at", "2026-01-01T00:00:00.000000+00:00",
                "roles", List.of(role(id, "@everyone", "1071698660929", 0), role(BOT_ROLE_ID, "firebreak", "8", 1)),
                "members", members, "channels", guildChannels,
                // the active threads: the fixed one and those started on messages
                "threads", id.equals(GUILD_ID) ? java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(thread(THREAD_ID, INCIDENTS_CHANNEL_ID, "inc-7 war room", id)),
                        channels.values().stream().filter(c -> Integer.valueOf(11).equals(c.get("type")) && !archived(c))).toList() : List.of(),
                "emojis", List.of(),
                "stickers", List.of(), "voice_states", List.of(), "presences", List.of(),
                "stage_instances", List.of(), "guild_scheduled_events", List.of(), "soundboard_sounds", List.of(),
                "application_id", null, "premium_progress_bar_enabled", false, "incidents_data", null);
    }

    private static List<Object> embeds(JsonNode sent) {
        List<Object> embeds = new ArrayList<>();
        sent.path("embeds").forEach(e -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> embed = JSON.convertValue(e, LinkedHashMap.class);
            embed.putIfAbsent("type", "rich");
            embeds.add(embed);
        });
        return embeds;
    }

    private static Map<String, Object> message(String id, String channelId, Map<String, Object> author, String content, List<Object> embeds) {
        return obj("id", id, "channel_id", channelId, "author", author, "content", content,
                "timestamp", "2026-01-01T00:00:00.000000+00:00", "edited_timestamp", null, "tts", false,
                "mention_everyone", false, "mentions", List.of(), "mention_roles", List.of(), "attachments", List.of(),
                "embeds", embeds, "pinned", false, "type", 0, "flags", 0, "components", List.of());
    }

    private static void send(WsContext ctx, Object frame) {
        try {
            ctx.send(JSON.writeValueAsString(frame));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
