package dev.firebreak.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An RPC stand-in at the network edge: an HTTP proxy in front of a JSON-RPC node (anvil) that
 * passes calls on, or fails them the way a flaky provider does: {@link Mode#UNAVAILABLE} answers
 * 503, {@link Mode#DROP} closes the connection without an answer, {@link Mode#HANG} answers only
 * once switched back (the client's timeout fires first).
 */
public final class RpcStandIn implements AutoCloseable {

    public enum Mode { PASS, UNAVAILABLE, DROP, HANG }

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI upstream;
    private volatile Mode mode = Mode.PASS;
    private volatile CountDownLatch released = new CountDownLatch(0);
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> methodsByRequest = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.Set<Integer> clientPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private RpcStandIn(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A stand-in passing calls on to {@code upstreamUrl}. */
    public static RpcStandIn inFrontOf(String upstreamUrl) {
        try {
            return new RpcStandIn(URI.create(upstreamUrl));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the RPC stand-in", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** From now on, calls are handled this way; switching away from HANG answers the held calls. */
    public void mode(Mode newMode) {
        if (newMode == Mode.HANG) released = new CountDownLatch(1);
        mode = newMode;
        if (newMode != Mode.HANG) released.countDown();
    }

    /** How many calls were failed (503, dropped or held) so far. */
    public int failedCalls() {
        return failed.get();
    }

    /** The JSON-RPC methods of each HTTP request received, in order ("eth_chainId,eth_gasPrice" for a batch). */
    public List<String> requests() {
        return List.copyOf(methodsByRequest);
    }

    /** How many connections the clients opened (distinct client ports). */
    public int connections() {
        return clientPorts.size();
    }

    public void forget() {
        methodsByRequest.clear();
        clientPorts.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            methodsByRequest.add(java.util.regex.Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"")
                    .matcher(new String(body, StandardCharsets.UTF_8)).results().map(m -> m.group(1))
                    .collect(java.util.stream.Collectors.joining(",")));
            switch (mode) {
                case UNAVAILABLE -> {
                    failed.incrementAndGet();
                    byte[] text = "upstream unavailable".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(503, text.length);
                    exchange.getResponseBody().write(text);
                    return;
                }
                case DROP -> {
                    failed.incrementAndGet();
                    return;   // closed without an answer
                }
                case HANG -> {
                    failed.incrementAndGet();
                    released.await();
                }
                case PASS -> { }
            }
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(upstream).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
