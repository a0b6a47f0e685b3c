package dev.firebreak.probe.k8s;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy at the network edge in front of a Kubernetes API server: it forwards every request
 * unchanged and records it ({@link #calls()}), so a test sees exactly what Firebreak asked the API.
 * With {@code discovery}, it also answers the discovery paths ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/apps/v1}) that the fabric8 mock server lacks and kubectl needs, and
 * asks the server for JSON, the only encoding the mock speaks.
 */
final class RecordingApiProxy implements AutoCloseable {

    /** One request: its method, path and query (null when none). */
    record Call(String method, String path, String query) {
        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }
    }

    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "accept", "accept-encoding", "keep-alive", "transfer-encoding");

    private static final Map<String, String> DISCOVERY = Map.of(
            "/api", """
                    {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""",
            "/apis", """
                    {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],\
                    "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}""",
            "/api/v1", """
                    {"kind":"APIResourceList","groupVersion":"v1","resources":[\
                    {"name":"pods","singularName":"pod","namespaced":true,"kind":"Pod","shortNames":["po"],"verbs":["get","list","watch","patch"]},\
                    {"name":"pods/log","singularName":"","namespaced":true,"kind":"Pod","verbs":["get"]},\
                    {"name":"events","singularName":"event","namespaced":true,"kind":"Event","shortNames":["ev"],"verbs":["get","list","watch"]},\
                    {"name":"namespaces","singularName":"namespace","namespaced":false,"kind":"Namespace","shortNames":["ns"],"verbs":["get","list"]}]}""",
            "/apis/apps/v1", """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[\
                    {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment","shortNames":["deploy"],\
                    "verbs":["get","list","watch","patch","update"]},\
                    {"name":"replicasets","singularName":"replicaset","namespaced":true,"kind":"ReplicaSet","shortNames":["rs"],\
                    "verbs":["get","list","watch"]}]}""");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String target;
    private final boolean discovery;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private RecordingApiProxy(String target, boolean discovery) {
        this.target = target.replaceAll("/+$", "");
        this.discovery = discovery;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.start();
    }

    /** Forwards to the API server at {@code target}, e.g. {@code http://127.0.0.1:41234}. */
    static RecordingApiProxy to(String target) {
        return new RecordingApiProxy(target, false);
    }

    /** As {@link #to}, also serving discovery and asking for JSON, so kubectl can talk to a fabric8 mock server. */
    static RecordingApiProxy forKubectl(String target) {
        return new RecordingApiProxy(target, true);
    }

    String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Every request received so far, oldest first (discovery included when served). */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            calls.add(new Call(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery()));
            String document = discovery ? DISCOVERY.get(uri.getRawPath()) : null;
            if (document != null) {
                respond(exchange, 200, "application/json", document.getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Accept", "application/json, */*");
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) values.forEach(v -> request.header(name, v));
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String contentType = response.headers().firstValue("Content-Type").orElse("application/json");
            respond(exchange, response.statusCode(), contentType.contains("protobuf") ? "application/json" : contentType,
                    discovery ? typedList(uri.getRawPath(), response.body()) : response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final Map<String, String> LIST_KINDS = Map.of("events", "\"apiVersion\":\"v1\",\"kind\":\"EventList\"",
            "pods", "\"apiVersion\":\"v1\",\"kind\":\"PodList\"",
            "deployments", "\"apiVersion\":\"apps/v1\",\"kind\":\"DeploymentList\"",
            "replicasets", "\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSetList\"");

    /** The mock answers every list as kind List; an API server names the kind ({@code EventList}), which kubectl's typed decoding needs. */
    private static byte[] typedList(String path, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        String generic = "\"apiVersion\":\"v1\",\"kind\":\"List\"";
        String kind = LIST_KINDS.get(path.substring(path.lastIndexOf('/') + 1));
        return kind != null && text.contains(generic) ? text.replace(generic, kind).getBytes(StandardCharsets.UTF_8) : body;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) exchange.getResponseBody().write(body);
    }

    List<Call> callsSince(int index) {
        List<Call> all = calls();
        return new ArrayList<>(all.subList(Math.min(index, all.size()), all.size()));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
