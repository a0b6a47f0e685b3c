package dev.firebreak.web;

import dev.firebreak.kernel.WebhookRequest;
import dev.firebreak.kernel.WebhookResponse;

import dev.firebreak.kernel.InvalidInput;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationsServerTest {

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final AtomicBoolean storeUp = new AtomicBoolean(true);
    final AtomicReference<WebhookRequest> received = new AtomicReference<>();
    OperationsServer server;

    void start() {
        server = new OperationsServer(0, () -> new Readiness(Map.of("store", storeUp.get(), "slack", true)), metrics,
                Map.of("/slack/events", request -> {
                    received.set(request);
                    return new WebhookResponse(202, "application/json", "{\"seen\":" + request.body().length + "}");
                })).start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void health_answers_ok() throws Exception {
        start();
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/health").body()).isEqualTo("ok");
    }

    @Test
    void ready_is_200_only_when_every_check_passes() throws Exception {
        start();
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        storeUp.set(false);
        HttpResponse<String> notReady = get("/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("\"store\":false").contains("\"slack\":true");
    }

    @Test
    void a_failing_readiness_check_is_503_not_a_stack_trace() throws Exception {
        server = new OperationsServer(0, () -> { throw new IllegalStateException("db password=hunter2"); },
                metrics, Map.of()).start();
        HttpResponse<String> response = get("/ready");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).doesNotContain("hunter2").contains("IllegalStateException");
    }

    @Test
    void metrics_are_prometheus_text_from_the_registry() throws Exception {
        start();
        metrics.counter("firebreak_commands_total", "platform", "slack").increment(3);
        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(response.body()).contains("firebreak_commands_total{platform=\"slack\"} 3.0");
    }

    @Test
    void webhooks_get_the_raw_body_and_headers_and_answer_as_they_like() throws Exception {
        start();
        byte[] body = "{\"a\": 1,  \"b\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/slack/events"))
                .header("X-Slack-Signature", "v0=abc").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"seen\":" + body.length + "}");
        assertThat(received.get().body()).isEqualTo(body);
        assertThat(received.get().header("x-slack-signature")).contains("v0=abc");
    }

    @Test
    void the_port_comes_from_firebreak_http_port() {
        assertThat(OperationsServer.portFrom(Map.of())).isEqualTo(8080);
        assertThat(OperationsServer.portFrom(Map.of("FIREBREAK_HTTP_PORT", "9091"))).isEqualTo(9091);
        assertThatThrownBy(() -> OperationsServer.portFrom(Map.of("FIREBREAK_HTTP_PORT", "http")))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("FIREBREAK_HTTP_PORT is 'http'");
    }
}
