package dev.firebreak.chat.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.util.http.SlackHttpClient;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.ChatAdapter;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.DeliveryLog;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookResponse;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Firebreak in a Slack workspace, through Bolt: Socket Mode when {@code SLACK_APP_TOKEN} is set,
 * otherwise HTTP mode on the operations server's {@code /slack/events} ({@link #httpEndpoint()}).
 * Every slash command of the {@link CommandCatalog} is routed (the app's manifest declares the same
 * ones; see {@link SlackManifest}).
 * On every (re)connect it re-reads the reactions on pending approval messages and hands them to
 * the engine, so approvals given while the bot was away count.
 */
public final class SlackAdapter implements ChatAdapter {

    private static final Logger log = LoggerFactory.getLogger(SlackAdapter.class);

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final SlackCredentials credentials;
    private final CommandCatalog commands;
    private final Clock clock;
    private final Slack slack;
    private final SlackPlatform platform;
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final ExecutorService events = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("slack-events").factory());
    private final DuplicateDeliveryFilter deliveries;
    private final AtomicReference<Webhook> endpoint = new AtomicReference<>();
    private volatile SocketModeConnection socket;
    private volatile InboundListener listener;
    private volatile boolean started;

    /**
     * @param commands   the slash commands to route, from the registry
     * @param clock      for request signatures' timestamps
     * @param deliveries the deliveries handled so far, kept in the store, so a replay changes nothing after a restart either
     */
    public SlackAdapter(SlackCredentials credentials, CommandCatalog commands, Clock clock, DeliveryLog deliveries) {
        this.credentials = credentials;
        this.commands = commands;
        this.clock = clock;
        this.slack = slackClient(credentials.apiUrl());
        this.platform = new SlackPlatform(new SlackWebApi(slack.methods(credentials.botToken().reveal())));
        this.deliveries = new DuplicateDeliveryFilter(deliveries);
    }

    /**
     * The adapter when the environment has Slack credentials, else empty with one log line naming
     * what is missing (never a value).
     */
    public static Optional<SlackAdapter> fromEnvironment(Map<String, String> environment, CommandCatalog commands, Clock clock,
                                                         DeliveryLog deliveries) {
        List<String> missing = SlackCredentials.missingIn(environment);
        if (!missing.isEmpty()) {
            log.info("Slack is off: {}", String.join("; ", missing));
            return Optional.empty();
        }
        return SlackCredentials.fromEnvironment(environment).map(c -> new SlackAdapter(c, commands, clock, deliveries));
    }

    static Slack slackClient(String apiUrl) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(apiUrl);
        config.setPrettyResponseLoggingEnabled(false);
        config.setFailOnUnknownProperties(false);
        config.getMethodsConfig().setStatsEnabled(false);
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(CALL_TIMEOUT)
                .writeTimeout(CALL_TIMEOUT)
                .callTimeout(CALL_TIMEOUT)
                .build();
        SlackHttpClient client = new SlackHttpClient(http);
        client.setConfig(config);
        return Slack.getInstance(config, client);
    }

    @Override
    public ChatPlatform platform() {
        return platform;
    }

    public SlackCredentials.Mode mode() {
        return credentials.mode();
    }

    /** True once connected (Socket Mode: after Slack's hello; HTTP mode: once started). */
    public boolean connected() {
        SocketModeConnection current = socket;
        return started && (current == null || current.connected());
    }

    /**
     * Connects: checks the bot token (auth.test), builds the Bolt app, and in Socket Mode opens
     * the WebSocket. Fails with a {@link ChatException} naming the problem when the token is bad.
     */
    @Override
    public synchronized void start(InboundListener inboundListener) {
        if (started) throw new IllegalStateException("the Slack adapter is already started");
        this.listener = inboundListener;
        BotIdentity bot = platform.identity();
        App app = new App(AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(credentials.botToken().reveal())
                .signingSecret(credentials.signingSecret().isPresent() ? credentials.signingSecret().reveal() : null)
                // Firebreak checks signatures itself (constant time, timestamps in both directions).
                .requestVerificationEnabled(false)
                // Bolt asks auth.test again before a request once its answer is 10 minutes old: a Slack
                // round trip before that command's ack (and before each of a burst of them). It keeps
                // the answer it got when built instead; a revoked token still fails every Web API call.
                .authTestCacheExpirationMillis(-1)
                .sslCheckEnabled(true)
                .allEventsApiAutoAckEnabled(true)
                .subtypedMessageEventsAutoAckEnabled(true)
                .build());
        app.use(new WorkspaceGuard(platform::identity));
        new SlackInbound(commands, inboundListener, platform, new CommandReplies(slack, platform), work, events, deliveries)
                .registerOn(app);
        app.start();
        if (credentials.mode() == SlackCredentials.Mode.SOCKET) {
            SocketModeConnection connection = new SocketModeConnection(slack, credentials.appToken(), app,
                    () -> work.execute(this::reconcilePendingApprovals));
            try {
                connection.connect();
            } catch (IOException | IllegalStateException e) {
                // The SDK's messages here carry only Slack's error code or HTTP status, never the token.
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                String message = "Could not open the Slack Socket Mode connection: " + reason
                        + "; check SLACK_APP_TOKEN (an app-level token xapp-... with scope connections:write)"
                        + " and that Socket Mode is enabled in the app settings";
                boolean fixable = reason.contains("invalid_auth") || reason.contains("not_authed")
                        || reason.contains("not_allowed_token_type") || reason.contains("status: 401");
                connection.close();
                throw fixable ? ChatException.permanent(message) : ChatException.transientFailure(message);
            }
            socket = connection;
        } else {
            endpoint.set(new SlackHttpEndpoint(new SlackRequestSignature(credentials.signingSecret(), clock), app));
            work.execute(this::reconcilePendingApprovals);
        }
        started = true;
        log.info("Slack adapter started in {} mode as bot {} in team {}", credentials.mode(), bot.userId(), bot.teamId());
    }

    /**
     * The {@code /slack/events} handler for the operations server in HTTP mode (empty in Socket
     * Mode). It can be mounted before {@link #start}: until then, and after {@link #close}, it
     * answers 503 so Slack retries later.
     */
    public Optional<Webhook> httpEndpoint() {
        if (credentials.mode() != SlackCredentials.Mode.HTTP) return Optional.empty();
        return Optional.of(request -> {
            Webhook current = endpoint.get();
            return current == null
                    ? WebhookResponse.text(503, "Firebreak's Slack adapter is not started")
                    : current.handle(request);
        });
    }

    /** Tells the engine Slack is connected, so it re-reads what changed while it was away (votes on pending approvals). */
    void reconcilePendingApprovals() {
        InboundListener current = listener;
        if (current != null) current.onConnected("slack");
    }

    /** Slack's Web API client needs no connection, so receiving is all there is to stop. */
    @Override
    public void close() {
        stopReceiving();
    }

    @Override
    public synchronized void stopReceiving() {
        started = false;
        SocketModeConnection current = socket;
        if (current != null) current.close();
        socket = null;
        endpoint.set(null);
        events.shutdown();
        work.shutdown();
        try {
            // Let commands and events already running finish (their replies included), briefly.
            if (!work.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) work.shutdownNow();
            if (!events.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) events.shutdownNow();
        } catch (InterruptedException e) {
            work.shutdownNow();
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
