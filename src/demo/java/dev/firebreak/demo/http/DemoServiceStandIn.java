package dev.firebreak.demo.http;

import io.javalin.Javalin;

import java.util.Map;

/**
 * A local stand-in for a read-only HTTP service of the seed runbooks: fixed answers per path,
 * JSON for health endpoints and Prometheus text for {@code /metrics}. {@link #anchorService()} is
 * Set Chain's anchor service (seed 000), {@link #pilApi()} the PIL relayer API (seed 003),
 * {@link #eigenDaProxy()} the EigenDA proxy (seed 002).
 */
public final class DemoServiceStandIn implements AutoCloseable {

    static final String ANCHOR_METRICS = """
            # TYPE anchor_pending_commitments gauge
            anchor_pending_commitments 2
            # TYPE anchor_last_success_age_seconds gauge
            anchor_last_success_age_seconds 42
            """;

    /** One metric over its warning line (failed transactions at 2%), the rest within the seed's thresholds. */
    static final String PIL_METRICS = """
            # TYPE pil_container_creations_per_minute gauge
            pil_container_creations_per_minute 180
            # TYPE pil_failed_transactions_ratio gauge
            pil_failed_transactions_ratio 0.02
            # TYPE pil_gas_used_average gauge
            pil_gas_used_average 312000
            # TYPE pil_proof_verification_seconds gauge
            pil_proof_verification_seconds 1.4
            # TYPE pil_relayer_response_seconds gauge
            pil_relayer_response_seconds{relayer="relayer-1"} 0.8
            pil_relayer_response_seconds{relayer="relayer-2"} 1.1
            """;

    private final Javalin server;
    private volatile boolean available = true;

    private DemoServiceStandIn(Javalin server) {
        this.server = server;
    }

    /** Serves each path's body on 127.0.0.1 (a free port); {@code /metrics} as Prometheus text, the rest as JSON. */
    public static DemoServiceStandIn start(Map<String, String> bodies) {
        Javalin server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        DemoServiceStandIn service = new DemoServiceStandIn(server);
        bodies.forEach((path, body) -> server.get(path, ctx -> {
            if (!service.available) ctx.status(503).contentType("application/json").result("{\"status\":\"unavailable\"}");
            else if (path.endsWith("/metrics")) ctx.contentType("text/plain; version=0.0.4").result(body);
            else ctx.contentType("application/json").result(body);
        }));
        server.start("127.0.0.1", 0);
        return service;
    }

    public static DemoServiceStandIn anchorService() {
        return start(Map.of(
                "/health", "{\"status\":\"healthy\",\"version\":\"0.4.1\"}",
                "/ready", "{\"ready\":true,\"sequencer\":\"reachable\",\"l2\":\"reachable\",\"pending_commitments\":2}",
                "/metrics", ANCHOR_METRICS));
    }

    public static DemoServiceStandIn pilApi() {
        return start(Map.of(
                "/relayers/health", "{\"status\":\"healthy\",\"relayers\":[{\"id\":\"relayer-1\",\"status\":\"up\"},"
                        + "{\"id\":\"relayer-2\",\"status\":\"up\"}]}",
                "/metrics", PIL_METRICS));
    }

    /** The EigenDA proxy the op-batcher posts batch data to (seed 002, batcher failing); take it down with {@link #setAvailable}. */
    public static DemoServiceStandIn eigenDaProxy() {
        return start(Map.of("/health", "{\"status\":\"ok\",\"disperser\":\"reachable\"}"));
    }

    /** While unavailable every path answers 503, as a service that is down behind its load balancer does. */
    public void setAvailable(boolean available) {
        this.available = available;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
