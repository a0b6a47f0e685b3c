package dev.firebreak.demo.http;

import io.javalin.Javalin;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local stand-in for the StateSet sequencer's HTTP API (seed 004): {@code /health},
 * {@code /ready}, Prometheus {@code /metrics} with a few values over their thresholds (dead letters
 * waiting, ingest p99 high), and {@code POST /api/v1/ves/anchor}, which records each request and
 * accepts it when it carries the expected bearer token.
 */
public final class DemoSequencerService implements AutoCloseable {

    static final String METRICS = """
            # HELP sequencer_ingest_latency_seconds Event ingest latency.
            # TYPE sequencer_ingest_latency_seconds summary
            sequencer_ingest_latency_seconds{quantile="0.5"} 0.08
            sequencer_ingest_latency_seconds{quantile="0.99"} 0.74
            # TYPE sequencer_db_pool_available gauge
            sequencer_db_pool_available 12
            # TYPE sequencer_db_pool_size gauge
            sequencer_db_pool_size 20
            # TYPE sequencer_cache_entries gauge
            sequencer_cache_entries{cache="agent_keys"} 1840
            sequencer_cache_entries{cache="stream_heads"} 312
            # TYPE sequencer_cache_size_bytes gauge
            sequencer_cache_size_bytes{cache="agent_keys"} 2.4e+06
            # TYPE sequencer_ratelimit_rejected_total counter
            sequencer_ratelimit_rejected_total 4
            # TYPE sequencer_events_rejected_total counter
            sequencer_events_rejected_total 0
            # TYPE sequencer_circuit_breaker_open gauge
            sequencer_circuit_breaker_open 0
            # TYPE sequencer_dead_letter_events gauge
            sequencer_dead_letter_events 3
            """;

    private final Javalin server;
    private final List<String> anchorRequests = new CopyOnWriteArrayList<>();
    private volatile boolean echoingCredentials;

    private DemoSequencerService(Javalin server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1; anchor requests must carry {@code Bearer apiToken}. */
    public static DemoSequencerService start(String apiToken) {
        Javalin server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        DemoSequencerService service = new DemoSequencerService(server);
        server.get("/health", ctx -> ctx.json(java.util.Map.of("status", "healthy", "version", "0.9.2")));
        server.get("/ready", ctx -> ctx.json(java.util.Map.of("database", "connected", "anchor", "ok")));
        server.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(METRICS));
        server.post("/api/v1/ves/anchor", ctx -> {
            if (!("Bearer " + apiToken).equals(ctx.header("Authorization"))) {
                ctx.status(401).result("unauthorized");
                return;
            }
            service.anchorRequests.add(ctx.body());
            if (service.echoingCredentials) {
                // as a misbehaving proxy does: the error body quotes what it was sent, token included
                ctx.status(502).json(java.util.Map.of("error", "upstream rejected the request",
                        "got", ctx.header("Authorization"), "token", apiToken));
                return;
            }
            ctx.status(202).json(java.util.Map.of("status", "queued"));
        });
        server.start("127.0.0.1", 0);
        return service;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** From now on anchor requests fail with an error body that repeats the request's bearer token. */
    public void echoCredentialsInErrors() {
        echoingCredentials = true;
    }

    /** The bodies of the anchor requests accepted so far, oldest first. */
    public List<String> anchorRequests() {
        return List.copyOf(anchorRequests);
    }

    @Override
    public void close() {
        server.stop();
    }
}
