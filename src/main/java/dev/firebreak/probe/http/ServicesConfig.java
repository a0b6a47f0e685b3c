package dev.firebreak.probe.http;

import dev.firebreak.kernel.Secret;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code bot/services.yaml}: HTTP services with health, readiness and Prometheus endpoints. */
public record ServicesConfig(Map<String, Service> services) {

    /**
     * @param token bearer token for actions (from the environment), never shown
     * @param metrics the metrics to show, with thresholds
     */
    public record Service(String baseUrl, Duration timeout, Secret token, Map<String, Endpoint> endpoints, List<Metric> metrics) {

        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
        /** How long connecting may take, on top of the request's timeout. */
        public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

        public Duration timeoutOrDefault() {
            return timeout == null ? DEFAULT_TIMEOUT : timeout;
        }

        /** How long one probe of this service may take: connecting, then one request within its timeout. */
        public Duration probeTimeout() {
            return CONNECT_TIMEOUT.plus(timeoutOrDefault());
        }
    }

    /** A GET endpoint and what a healthy answer looks like. */
    public record Endpoint(String path, Integer expectStatus, String expectBody) {}

    /**
     * A metric from {@code /metrics}; {@code match} selects series whose name and labels contain it.
     * Thresholds: above {@code warnAbove}/{@code criticalAbove} or below {@code warnBelow}/{@code criticalBelow}.
     */
    public record Metric(String name, String match, String description, Double warnAbove, Double criticalAbove,
                         Double warnBelow, Double criticalBelow) {}

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (services == null) return problems;
        services.forEach((name, s) -> {
            if (s.baseUrl() == null || !s.baseUrl().matches("https?://.+")) {
                problems.add("services." + name + ".baseUrl: must be an http:// or https:// URL; set it (e.g. ${SEQUENCER_URL:-http://127.0.0.1:8080})");
            }
            if (s.endpoints() != null) s.endpoints().forEach((e, ep) -> {
                if (ep.path() == null || !ep.path().startsWith("/")) {
                    problems.add("services." + name + ".endpoints." + e + ".path: must start with /; e.g. /health");
                }
            });
        });
        return problems;
    }
}
