package dev.firebreak.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * PagerDuty's Events API v2 at the network edge: {@code POST /v2/enqueue} records every event it
 * is sent and answers 202, or the statuses a test queues (429, 500, 400 with PagerDuty's error body).
 */
public final class PagerDutyStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final List<JsonNode> received = new ArrayList<>();
    private final Deque<Integer> answers = new ArrayDeque<>();

    private PagerDutyStandIn(HttpServer server) {
        this.server = server;
    }

    public static PagerDutyStandIn start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            PagerDutyStandIn standIn = new PagerDutyStandIn(server);
            server.createContext("/v2/enqueue", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                int status;
                synchronized (standIn) {
                    standIn.received.add(JSON.readTree(body));
                    status = standIn.answers.isEmpty() ? 202 : standIn.answers.removeFirst();
                }
                String answer = switch (status) {
                    case 202 -> "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                            + JSON.readTree(body).path("dedup_key").asText() + "\"}";
                    case 400 -> "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                            + "\"errors\":[\"Length of 'routing_key' is incorrect (should be 32 characters)\"]}";
                    case 429 -> "{\"status\":\"throttle event\",\"message\":\"Requests for this service are arriving too quickly.\"}";
                    default -> "{\"status\":\"error\"}";
                };
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return standIn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue";
    }

    /** The next requests are answered with these statuses, in order; then 202 again. */
    public synchronized void answer(Integer... statuses) {
        answers.addAll(List.of(statuses));
    }

    public synchronized List<JsonNode> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
