package dev.firebreak.web;

import dev.firebreak.kernel.WebPage;
import dev.firebreak.kernel.Webhook;
import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.kernel.WebhookResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The operations HTTP server: {@code /health} (the process is up), {@code /ready} (its
 * dependencies are reachable), {@code /metrics} (Prometheus text), webhooks such as Slack's
 * {@code /slack/events} and pages such as the public {@code /status}. Port 0 picks a free port,
 * see {@link #port()}.
 */
public final class OperationsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OperationsServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int requestedPort;
    private final Supplier<Readiness> readiness;
    private final PrometheusMeterRegistry metrics;
    private final Map<String, Webhook> webhooks;
    private final Map<String, WebPage> pages;
    private Javalin javalin;
    private volatile Supplier<Optional<String>> unhealthy = Optional::empty;

    /**
     * @param port      TCP port to listen on ({@code FIREBREAK_HTTP_PORT}, default 8080); 0 picks a free one
     * @param readiness asked on every {@code /ready}
     * @param metrics   scraped on every {@code /metrics}
     * @param webhooks  POST routes by path, e.g. {@code "/slack/events"}
     */
    public OperationsServer(int port, Supplier<Readiness> readiness, PrometheusMeterRegistry metrics,
                            Map<String, Webhook> webhooks) {
        this(port, readiness, metrics, webhooks, Map.of());
    }

    /** The same, also serving {@code pages}: GET routes by path, e.g. {@code "/status"}. */
    public OperationsServer(int port, Supplier<Readiness> readiness, PrometheusMeterRegistry metrics,
                            Map<String, Webhook> webhooks, Map<String, WebPage> pages) {
        this.requestedPort = port;
        this.readiness = Objects.requireNonNull(readiness);
        this.metrics = Objects.requireNonNull(metrics);
        this.webhooks = Map.copyOf(webhooks);
        this.pages = Map.copyOf(pages);
    }

    /**
     * What makes this process need a restart, asked on every {@code /health} (503 with the reason);
     * empty while it is well. Unset, {@code /health} answers 200 while the process is up.
     */
    public OperationsServer unhealthyWhen(Supplier<Optional<String>> reason) {
        this.unhealthy = Objects.requireNonNull(reason);
        return this;
    }

    /** {@code FIREBREAK_HTTP_PORT} from the environment, 8080 when unset. */
    public static int portFrom(Map<String, String> environment) {
        String value = environment.getOrDefault("FIREBREAK_HTTP_PORT", "").trim();
        if (value.isEmpty()) return 8080;
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return port;
        } catch (NumberFormatException e) {
            throw new dev.firebreak.kernel.InvalidInput("FIREBREAK_HTTP_PORT is '" + value
                    + "', not a port number; set it to a number from 1 to 65535 or leave it unset for 8080");
        }
    }

    public synchronized OperationsServer start() {
        if (javalin != null) return this;
        Javalin server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            // Platform threads, scheduled by the operating system: Slack's acknowledgement (POST
            // /slack/events), /ready and /metrics answer in milliseconds even while hundreds of
            // commands run on virtual threads, whose carriers the store's native calls hold.
            config.useVirtualThreads = false;
            config.startupWatcherEnabled = false;
        });
        server.get("/health", ctx -> {
            Optional<String> reason = unhealthy.get();
            ctx.status(reason.isPresent() ? 503 : 200).contentType("text/plain; charset=utf-8").result(reason.orElse("ok"));
        });
        server.get("/ready", this::ready);
        server.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        webhooks.forEach((path, webhook) -> server.post(path, ctx -> handle(webhook, ctx)));
        pages.forEach((path, page) -> server.get(path, ctx -> respond(page.get(), ctx)));
        server.start(requestedPort);
        javalin = server;
        log.info("Operations server listening on port {}", server.port());
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public synchronized int port() {
        if (javalin == null) throw new IllegalStateException("the operations server is not started");
        return javalin.port();
    }

    private void ready(Context ctx) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean ready;
        try {
            Readiness current = readiness.get();
            ready = current.ready();
            body.put("ready", ready);
            body.put("checks", current.checks());
        } catch (RuntimeException e) {
            log.warn("Readiness check failed: {}", e.getClass().getSimpleName());
            ready = false;
            body.put("ready", false);
            body.put("error", "readiness check failed: " + e.getClass().getSimpleName());
        }
        ctx.status(ready ? 200 : 503).contentType("application/json").result(JSON.writeValueAsString(body));
    }

    private static void handle(Webhook webhook, Context ctx) {
        Map<String, String> headers = ctx.headerMap();
        respond(webhook.handle(new WebhookRequest(ctx.bodyAsBytes(), headers)), ctx);
    }

    private static void respond(WebhookResponse response, Context ctx) {
        ctx.status(response.status());
        if (response.contentType() != null) ctx.contentType(response.contentType());
        ctx.result(response.body() == null ? "" : response.body());
    }

    @Override
    public synchronized void close() {
        if (javalin != null) {
            javalin.stop();
            javalin = null;
        }
    }
}
