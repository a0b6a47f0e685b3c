package dev.firebreak.probe.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP diagnostics and actions: {@code http.health} (GET an endpoint, check status and body),
 * {@code http.metrics} (scrape Prometheus text, compare with thresholds) and {@code http.post}
 * (a POST with a JSON body and the service's bearer token, e.g. seed 004's anchor retry).
 * Every call has the service's timeout; a failing or hanging service is a result, not an error.
 */
public final class HttpOperations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ServicesConfig.Service> services;
    private final HttpClient client;

    public HttpOperations(ServicesConfig config) {
        this.services = config.services() == null ? Map.of() : Map.copyOf(config.services());
        this.client = HttpClient.newBuilder().connectTimeout(ServicesConfig.Service.CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Map<String, Probe> probes() {
        return Map.of("http.health", Probe.timed(this::health, this::probeTimeout),
                "http.metrics", Probe.timed(this::metrics, this::probeTimeout));
    }

    public Map<String, Action> actions() {
        return Map.of("http.post", new PostAction());
    }

    private ServicesConfig.Service service(String name) {
        ServicesConfig.Service s = services.get(name == null ? "" : name);
        if (s == null) {
            throw new InvalidInput("Unknown service \"" + name + "\"; known services: " + String.join(", ", new TreeMap<>(services).keySet()) + ".");
        }
        return s;
    }

    private Duration timeout(ServicesConfig.Service s) {
        return s.timeoutOrDefault();
    }

    private Duration probeTimeout(Map<String, String> args) {
        ServicesConfig.Service s = services.get(args.getOrDefault("service", ""));
        return s == null ? Probe.DEFAULT_TIMEOUT : s.probeTimeout();
    }

    private Probe.Reading health(Map<String, String> args) {
        String name = args.get("service");
        ServicesConfig.Service s = service(name);
        String endpointName = args.getOrDefault("endpoint", "health");
        ServicesConfig.Endpoint endpoint = s.endpoints() == null ? null : s.endpoints().get(endpointName);
        if (endpoint == null) {
            throw new InvalidInput("Service " + name + " has no endpoint \"" + endpointName + "\"; it has: "
                    + (s.endpoints() == null ? "none" : String.join(", ", s.endpoints().keySet())) + ".");
        }
        return () -> health(name, s, endpoint);
    }

    private ProbeResult health(String name, ServicesConfig.Service s, ServicesConfig.Endpoint endpoint) {
        String url = s.baseUrl() + endpoint.path();
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout(s)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return ProbeResult.of(Status.ERROR, name + " " + endpoint.path() + " did not answer within " + timeout(s).toMillis() + " ms");
        } catch (IOException e) {
            return ProbeResult.of(Status.ERROR, name + " " + endpoint.path() + " is unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.of(Status.ERROR, "interrupted");
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int expected = endpoint.expectStatus() == null ? 200 : endpoint.expectStatus();
        String body = response.body() == null ? "" : response.body().strip();
        boolean statusOk = response.statusCode() == expected;
        boolean bodyOk = endpoint.expectBody() == null || body.replace(" ", "").contains(endpoint.expectBody().replace(" ", ""));
        Status status = statusOk && bodyOk ? Status.OK : Status.CRITICAL;
        String summary = name + " " + endpoint.path() + ": HTTP " + response.statusCode() + " in " + millis + " ms"
                + (statusOk ? "" : " (expected " + expected + ")")
                + (bodyOk ? "" : " (body lacks " + endpoint.expectBody() + ")");
        return new ProbeResult(status, summary, Message.builder()
                .preformatted(body.length() > 500 ? body.substring(0, 500) + "..." : body).build());
    }

    private Probe.Reading metrics(Map<String, String> args) {
        String name = args.get("service");
        ServicesConfig.Service s = service(name);
        String filter = args.get("filter");
        return () -> metrics(name, s, filter);
    }

    private ProbeResult metrics(String name, ServicesConfig.Service s, String filter) {
        String url = s.baseUrl() + "/metrics";
        String text;
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout(s)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return ProbeResult.of(Status.ERROR, name + " /metrics answered HTTP " + response.statusCode());
            }
            text = response.body();
        } catch (HttpTimeoutException e) {
            return ProbeResult.of(Status.ERROR, name + " /metrics did not answer within " + timeout(s).toMillis() + " ms");
        } catch (IOException e) {
            return ProbeResult.of(Status.ERROR, name + " /metrics is unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.of(Status.ERROR, "interrupted");
        }
        Map<String, Double> samples = PrometheusText.parse(text);
        List<List<String>> rows = new ArrayList<>();
        Status worst = Status.OK;
        List<ServicesConfig.Metric> metrics = s.metrics() == null ? List.of() : s.metrics();
        if (filter != null && !filter.isBlank()) {
            for (Map.Entry<String, Double> e : samples.entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT))) {
                    rows.add(List.of(e.getKey(), format(e.getValue()), "", ""));
                }
            }
        } else {
            for (ServicesConfig.Metric m : metrics) {
                List<Map.Entry<String, Double>> matching = samples.entrySet().stream()
                        .filter(e -> e.getKey().startsWith(m.name()) && (m.match() == null || e.getKey().contains(m.match())))
                        .toList();
                if (matching.isEmpty()) {
                    rows.add(List.of(m.name(), "missing", thresholds(m), "-"));
                    continue;
                }
                for (Map.Entry<String, Double> e : matching) {
                    Status st = judge(m, e.getValue());
                    worst = ProbeResult.worst(worst, st);
                    rows.add(List.of(e.getKey(), format(e.getValue()), thresholds(m), st.name().toLowerCase(Locale.ROOT)));
                }
            }
        }
        String summary = name + " metrics: " + rows.size() + " series" + (worst == Status.OK ? ", all within thresholds"
                : ", worst " + worst.name().toLowerCase(Locale.ROOT));
        return new ProbeResult(worst, summary, Message.builder()
                .table(List.of("metric", "value", "thresholds", "status"), rows).build());
    }

    static Status judge(ServicesConfig.Metric m, double v) {
        if ((m.criticalAbove() != null && v > m.criticalAbove()) || (m.criticalBelow() != null && v < m.criticalBelow())) {
            return Status.CRITICAL;
        }
        if ((m.warnAbove() != null && v > m.warnAbove()) || (m.warnBelow() != null && v < m.warnBelow())) {
            return Status.WARNING;
        }
        return Status.OK;
    }

    private static String thresholds(ServicesConfig.Metric m) {
        List<String> parts = new ArrayList<>();
        if (m.warnAbove() != null) parts.add("warn >" + format(m.warnAbove()));
        if (m.criticalAbove() != null) parts.add("crit >" + format(m.criticalAbove()));
        if (m.warnBelow() != null) parts.add("warn <" + format(m.warnBelow()));
        if (m.criticalBelow() != null) parts.add("crit <" + format(m.criticalBelow()));
        return String.join(", ", parts);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** POST a JSON body built from {@code body.*} parameters to a service path, with its bearer token. */
    private final class PostAction implements Action {

        /** Everything is judged from the arguments and bot/services.yaml: the planning reaches nothing either. */
        @Override
        public Planning prepare(Map<String, String> args) {
            String name = args.get("service");
            ServicesConfig.Service s = service(name);
            String path = args.get("path");
            if (path == null || !path.startsWith("/")) throw new InvalidInput("The action's path must start with /.");
            // the values written in the configuration are judged before those filled from an argument
            Map<String, String> body = new TreeMap<>();
            Map<String, String> filled = new TreeMap<>();
            args.forEach((k, v) -> {
                if (!k.startsWith("body.")) return;
                if (isArgument(v)) filled.put(k.substring(5), v);
                else body.put(k.substring(5), identifier(v));
            });
            filled.forEach((k, v) -> body.put(k, identifier(resolve(v, args))));
            Map<String, String> canonical = new LinkedHashMap<>();
            canonical.put("service", name);
            canonical.put("method", "POST");
            canonical.put("url", s.baseUrl() + path);
            canonical.put("body", json(body));
            String title = args.getOrDefault("title", "POST " + path);
            Message preview = Message.builder()
                    .fields(List.of(new Message.Field("Service", name), new Message.Field("Request", "POST " + s.baseUrl() + path),
                            new Message.Field("Body", json(body)),
                            new Message.Field("Auth", s.token() != null && s.token().isPresent()
                                    ? "bearer token from " + s.token().source() : "none configured")))
                    .build();
            PlannedAction plan = new PlannedAction(title, canonical, preview);
            return () -> plan;
        }

        @Override
        public ActionResult execute(PlannedAction plan, Execution execution) {
        String executionKey = execution.key();
            ServicesConfig.Service s = service(plan.canonical().get("service"));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(plan.canonical().get("url")))
                    .timeout(timeout(s))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", executionKey)
                    .POST(HttpRequest.BodyPublishers.ofString(plan.canonical().get("body")));
            if (s.token() != null && s.token().isPresent()) request.header("Authorization", "Bearer " + s.token().reveal());
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String body = response.body() == null ? "" : response.body().strip();
                String summary = plan.action() + ": HTTP " + response.statusCode();
                Message details = Message.builder().paragraph(summary)
                        .preformatted(body.length() > 500 ? body.substring(0, 500) + "..." : body).build();
                return new ActionResult(response.statusCode() / 100 == 2 ? ActionResult.Outcome.SUCCEEDED
                        : ActionResult.Outcome.FAILED, summary, details);
            } catch (HttpTimeoutException e) {
                return ActionResult.failed(plan.action() + ": no answer within " + timeout(s).toMillis()
                        + " ms; it may or may not have been applied, check the service before retrying");
            } catch (IOException e) {
                return ActionResult.failed(plan.action() + ": service unreachable (" + e.getClass().getSimpleName() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ActionResult.failed("interrupted");
            }
        }
    }

    private static String identifier(String value) {
        if (!value.matches("[A-Za-z0-9_.:-]{1,128}")) {
            throw new InvalidInput("\"" + value + "\" is not a valid identifier: use letters, digits, _ . : - (at most 128).");
        }
        return value;
    }

    private static boolean isArgument(String value) {
        return value.startsWith("{{") && value.endsWith("}}");
    }

    private static String resolve(String value, Map<String, String> args) {
        if (isArgument(value)) {
            String arg = value.substring(2, value.length() - 2).strip();
            String given = args.get(arg);
            if (given == null) throw new InvalidInput("Missing argument " + arg + ".");
            return given;
        }
        return value;
    }

    private static String json(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
