package dev.firebreak.demo.http;

import io.javalin.Javalin;

import java.util.Map;

/**
 * A local stand-in for the EigenDA proxy the op-batcher posts batch data to (seed 002, batcher
 * failing): {@code GET /health} answers 200 while it is up, 503 after {@link #setAvailable(boolean)}
 * takes it down.
 */
public final class DemoEigenDaProxy implements AutoCloseable {

    private final Javalin server;
    private volatile boolean available = true;

    private DemoEigenDaProxy(Javalin server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static DemoEigenDaProxy start() {
        Javalin server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        DemoEigenDaProxy proxy = new DemoEigenDaProxy(server);
        server.get("/health", ctx -> {
            if (proxy.available) ctx.json(Map.of("status", "ok", "disperser", "reachable"));
            else ctx.status(503).json(Map.of("status", "unavailable", "disperser", "unreachable"));
        });
        server.start("127.0.0.1", 0);
        return proxy;
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public void setAvailable(boolean available) {
        this.available = available;
    }

    @Override
    public void close() {
        server.stop();
    }
}
