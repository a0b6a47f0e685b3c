package dev.firebreak.app;

import dev.firebreak.chat.ChatAdapter;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.discord.DiscordAdapter;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.ha.AdvisoryLockLeadership;
import dev.firebreak.ha.Leadership;
import dev.firebreak.ha.LockFile;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import dev.firebreak.kernel.Webhook;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Firebreak serving its chat platforms: every platform whose credentials are in the environment
 * (Slack, Discord), the engine behind them, and the operations server ({@code /health},
 * {@code /ready}, {@code /metrics}, and {@code /slack/events} in Slack's HTTP mode).
 */
public final class Bot implements AutoCloseable {

    /** Slack asks for about one message a second per channel; Discord's per-channel limit is looser, JDA keeps to it. */
    static final Duration SLACK_PACE = Duration.ofSeconds(1);
    static final Duration DISCORD_PACE = Duration.ofMillis(250);

    private final List<AutoCloseable> running;
    private final List<String> platforms;
    private final OperationsServer server;

    private Bot(List<AutoCloseable> running, List<String> platforms, OperationsServer server) {
        this.running = running;
        this.platforms = platforms;
        this.server = server;
    }

    /** Why the bot did not start: a message for the operator, never a secret. */
    public static final class NotStarted extends RuntimeException {
        NotStarted(String message) {
            super(message);
        }
    }

    /**
     * Connects every platform configured in {@code environment}, each routing every command of the
     * registry, assembles the engine on {@code database} and starts serving. {@code config} has
     * passed {@link ConfigurationCheck}. Throws {@link NotStarted} when no platform is configured or
     * one cannot connect (what was started is closed again).
     */
    public static Bot start(FirebreakConfig config, Database database, Map<String, String> environment, Clock clock,
                            Duration tickEvery) {
        int port;
        try {
            port = OperationsServer.portFrom(environment);
        } catch (dev.firebreak.kernel.InvalidInput e) {
            throw new NotStarted(e.getMessage());
        }

        List<AutoCloseable> running = new ArrayList<>();
        List<ChatAdapter> adapters = new ArrayList<>();
        Map<String, BooleanSupplier> connected = new LinkedHashMap<>();
        List<Firebreak.PlatformConnection> connections = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Webhook> webhooks = new LinkedHashMap<>();
        try {
            if (database.sqliteFile().isPresent()) {
                try {
                    running.add(LockFile.take(database.sqliteFile().get()));
                } catch (LockFile.Taken e) {
                    throw new NotStarted(e.getMessage());
                }
            }
            CommandCatalog commands = CommandCatalogs.of(config.commands());
            Optional<SlackAdapter> slack = SlackAdapter.fromEnvironment(environment, commands, clock, new JdbcDeliveryLog(database, clock));
            Optional<DiscordAdapter> discord = DiscordAdapter.fromEnvironment(environment, commands);
            if (slack.isEmpty() && discord.isEmpty()) {
                throw new NotStarted("""
                        No chat platform is configured, so there is nothing to connect to.
                          Slack:   set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), or SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP mode)
                          Discord: set DISCORD_BOT_TOKEN and DISCORD_GUILD_ID
                        See README.md. To try Firebreak without an account, run ./firebreak demo""");
            }
            slack.ifPresent(adapter -> {
                running.add(adapter);
                adapters.add(adapter);
                connected.put("slack", adapter::connected);
                connections.add(new Firebreak.PlatformConnection(adapter.platform(), SLACK_PACE));
                adapter.httpEndpoint().ifPresent(endpoint -> webhooks.put("/slack/events", endpoint));
                names.add("Slack (" + (adapter.mode() == dev.firebreak.chat.slack.SlackCredentials.Mode.SOCKET
                        ? "Socket Mode" : "HTTP mode, POST /slack/events") + ")");
            });
            discord.ifPresent(adapter -> {
                running.add(adapter);
                adapters.add(adapter);
                connected.put("discord", adapter::connected);
                connections.add(new Firebreak.PlatformConnection(adapter.platform(), DISCORD_PACE));
                names.add("Discord");
            });

            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AtomicReference<Firebreak> active = new AtomicReference<>();
            Leadership leadership = database.postgres()
                    ? new AdvisoryLockLeadership(database::dedicatedConnection, new AdvisoryLockLeadership.Listener() {
                        @Override
                        public void elected() {
                            active.get().start(tickEvery);
                            adapters.forEach(adapter -> adapter.start(active.get().engine()));
                        }

                        @Override
                        public void deposed() {
                            // stop receiving and acting; what is queued stays for the new leader (the outbox is fenced)
                            closeAll(new ArrayList<>(adapters));
                            active.get().close();
                        }
                    })
                    : Leadership.sole();
            running.add(leadership); // released after the engine has flushed what it may
            Firebreak firebreak = Firebreak.assemble(config, database, clock, connections, metrics);
            firebreak.fence(leadership::confirm);
            active.set(firebreak);
            running.add(firebreak);
            webhooks.putAll(firebreak.webhooks(environment));
            if (database.postgres()) connected.put("leader", leadership::leading); // a standby is not ready
            OperationsServer server = new OperationsServer(port, () -> readiness(database, connected), metrics, webhooks,
                    firebreak.pages());
            if (leadership instanceof AdvisoryLockLeadership election) {
                // a deposed leader has closed what it ran: the liveness probe restarts it, as a standby
                server.unhealthyWhen(() -> election.deposed() ? Optional.of("this replica lost the leadership and stopped "
                        + "acting; restart it to stand by again") : Optional.empty());
            }
            running.add(server);
            try {
                server.start();
            } catch (RuntimeException e) {
                throw new NotStarted("cannot listen on port " + port + " (" + e.getMessage()
                        + "); free the port or set FIREBREAK_HTTP_PORT to another one");
            }
            if (leadership instanceof AdvisoryLockLeadership election) {
                ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
                        Thread.ofVirtual().name("firebreak-leadership").factory());
                running.add(() -> {
                    // a poll under way (which may start or stop the engine) finishes before the engine is closed
                    poller.shutdown();
                    if (!poller.awaitTermination(5, TimeUnit.SECONDS)) poller.shutdownNow();
                });
                election.poll();
                poller.scheduleWithFixedDelay(election::poll, AdvisoryLockLeadership.POLL_EVERY.toMillis(),
                        AdvisoryLockLeadership.POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                if (!election.leading()) {
                    org.slf4j.LoggerFactory.getLogger(Bot.class).info(
                            "Another replica leads; this one stands by (/ready answers 503) and takes over when it goes.");
                }
            } else {
                firebreak.start(tickEvery);
                adapters.forEach(adapter -> adapter.start(firebreak.engine()));
            }
            return new Bot(running, List.copyOf(names), server);
        } catch (ChatException e) {
            closeAll(running);
            throw new NotStarted("Could not connect: " + e.getMessage());
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
    }

    private static Readiness readiness(Database database, Map<String, BooleanSupplier> connected) {
        Map<String, Boolean> checks = new LinkedHashMap<>();
        checks.put("store", database.reachable());
        connected.forEach((name, check) -> checks.put(name, check.getAsBoolean()));
        return new Readiness(checks);
    }

    /** The connected platforms, as the operator should read them, e.g. {@code Slack (Socket Mode)}. */
    public List<String> platforms() {
        return platforms;
    }

    public int httpPort() {
        return server.port();
    }

    /**
     * Stops taking input first (platforms), then the server, then the engine (which delivers what
     * is queued, through the platforms), and disconnects the platforms last.
     */
    @Override
    public void close() {
        closeAll(running);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        List<AutoCloseable> order = new ArrayList<>();
        List<ChatAdapter> platforms = resources.stream().filter(r -> r instanceof ChatAdapter).map(r -> (ChatAdapter) r).toList();
        platforms.forEach(platform -> order.add(platform::stopReceiving));
        resources.stream().filter(r -> !(r instanceof ChatAdapter)).toList().reversed().forEach(order::add);
        order.addAll(platforms);
        for (AutoCloseable resource : order) {
            try {
                resource.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Bot.class).warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
