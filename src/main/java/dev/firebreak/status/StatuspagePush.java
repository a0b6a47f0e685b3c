package dev.firebreak.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.chat.Outbox;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes the published updates to Atlassian Statuspage's incident API: an incident's first update
 * creates it there ({@code POST /v1/pages/{page}/incidents}), later ones update it
 * ({@code PATCH .../incidents/{id}}), in the order they were published. A create carries the
 * incident's number in Statuspage's metadata and is preceded by a look-up of the unresolved incidents,
 * so a create whose answer was lost is found, not repeated. The queue is in the store,
 * so what was not yet taken survives a restart; 429, 5xx and network failures are retried with
 * backoff, any other refusal is kept with its reason, never retried, and said once in the
 * incident's channel.
 */
public final class StatuspagePush {

    private static final Logger log = LoggerFactory.getLogger(StatuspagePush.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The key under Statuspage's incident {@code metadata} that names the incident in Firebreak's store. */
    private static final String METADATA = "firebreak";

    private final StatusPageConfig config;
    private final StatusPageStore store;
    private final IncidentService incidents;
    private final Outbox outbox;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public StatuspagePush(StatusPageConfig config, StatusPageStore store, IncidentService incidents, Outbox outbox, Clock clock) {
        this.config = config;
        this.store = store;
        this.incidents = incidents;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Pushes what is due; returns how many Statuspage took. The clock-driven tick calls it. */
    public int pushDue() {
        if (config.pushTo().isEmpty()) return 0;
        StatusPageConfig.Hosted hosted = config.pushTo().get();
        int pushed = 0;
        int round;
        do { // an incident's next update is due once the one before it went, so ask again after each round
            round = 0;
            for (StatusPageStore.Push push : store.duePushes(clock.instant())) {
                if (push(hosted, push)) round++;
            }
            pushed += round;
        } while (round > 0);
        return pushed;
    }

    private boolean push(StatusPageConfig.Hosted hosted, StatusPageStore.Push push) {
        StatusUpdate update = push.update();
        String base = hosted.apiUrl().replaceAll("/+$", "") + "/v1/pages/" + hosted.pageId() + "/incidents";
        var remote = store.remoteIncident(update.incidentNumber());
        if (remote.isEmpty()) {
            Lookup earlier = createdEarlier(hosted, base, update.incidentNumber());
            if (earlier.failed() != null) {
                failed(push, earlier.status(), earlier.failed());
                return false;
            }
            if (earlier.remoteId() != null) {
                store.remoteIncident(update.incidentNumber(), earlier.remoteId());
                remote = Optional.of(earlier.remoteId());
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .uri(URI.create(remote.map(id -> base + "/" + id).orElse(base)))
                .timeout(TIMEOUT)
                .header("Authorization", "OAuth " + hosted.apiKey().reveal())
                .header("Content-Type", "application/json");
        String body = body(update, remote.isEmpty());
        request.method(remote.isPresent() ? "PATCH" : "POST", HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failed(push, 0, "Statuspage could not be reached: " + e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            if (remote.isEmpty()) {
                String id = idIn(response.body());
                if (id == null) {
                    retry(push, "Statuspage answered " + status + " without an incident id");
                    return false;
                }
                store.remoteIncident(update.incidentNumber(), id);
            }
            store.pushed(update.id(), clock.instant());
            return true;
        }
        failed(push, status, "Statuspage answered HTTP " + status + ": " + Redactor.redact(abbreviate(response.body())));
        return false;
    }

    /** A 429, a 5xx or no answer (status 0) is retried with backoff; any other refusal is kept, said once, never retried. */
    private void failed(StatusPageStore.Push push, int status, String error) {
        StatusUpdate update = push.update();
        if (status == 0 || status == 429 || status / 100 == 5) {
            retry(push, error);
        } else {
            store.refused(update.id(), error);
            log.warn("Statuspage refused the update {} of INC-{}: {}", update.id(), update.incidentNumber(), error);
            incidents.find(update.incidentNumber()).ifPresent(incident -> outbox.enqueue(incident.platform(), incident.channelId(),
                    Message.text(Icon.WARNING, "Statuspage refused the status page update of " + incident.id() + " (" + error
                            + "). It is on Firebreak's /status page but not on Statuspage, and will not be retried; "
                            + "check STATUSPAGE_PAGE_ID and the components' statuspage ids in bot/status-page.yaml.")));
        }
    }

    /** What the look-up of an earlier create found: the incident's id there, nothing, or why it could not look. */
    private record Lookup(String remoteId, int status, String failed) {
        static Lookup found(String remoteId) { return new Lookup(remoteId, 200, null); }
        static Lookup failed(int status, String why) { return new Lookup(null, status, why); }
    }

    /**
     * Before creating an incident, looks for one an earlier create made: a create whose answer was
     * lost (a timeout, a 5xx from a proxy, the process stopped) may have been taken, and creating
     * again would put the outage on the public page twice. Each create carries the incident's number
     * in Statuspage's {@code metadata}, so the unresolved incidents tell.
     */
    private Lookup createdEarlier(StatusPageConfig.Hosted hosted, String base, long incidentNumber) {
        HttpRequest request = HttpRequest.newBuilder().uri(URI.create(base + "/unresolved")).timeout(TIMEOUT)
                .header("Authorization", "OAuth " + hosted.apiKey().reveal()).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return Lookup.failed(0, "Statuspage could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lookup.failed(0, "interrupted while looking up unresolved incidents");
        }
        if (response.statusCode() / 100 != 2) {
            return Lookup.failed(response.statusCode(), "Statuspage answered HTTP " + response.statusCode()
                    + " to the look-up of unresolved incidents: " + Redactor.redact(abbreviate(response.body())));
        }
        try {
            for (JsonNode incident : JSON.readTree(response.body())) {
                if (String.valueOf(incidentNumber).equals(incident.path("metadata").path(METADATA).path("incident_number").asText())) {
                    String id = incident.path("id").asText();
                    if (!id.isBlank()) return Lookup.found(id);
                }
            }
            return Lookup.found(null);
        } catch (IOException e) {
            return Lookup.failed(0, "Statuspage answered the look-up of unresolved incidents with something other than JSON");
        }
    }

    private void retry(StatusPageStore.Push push, String error) {
        int attempts = push.attempts() + 1;
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 10));
        if (wait.compareTo(LONGEST_RETRY) > 0) wait = LONGEST_RETRY;
        store.retryLater(push.update().id(), attempts, clock.instant().plus(wait), error);
        log.info("Statuspage push of update {} failed (attempt {}), retrying in {}s: {}", push.update().id(), attempts,
                wait.toSeconds(), error);
    }

    /** Statuspage's incident: name and components with the first update, then status, body and the component's state. */
    private String body(StatusUpdate update, boolean create) {
        Map<String, Object> incident = new LinkedHashMap<>();
        if (create) {
            incident.put("name", update.publicTitle());
            incident.put("metadata", Map.of(METADATA, Map.of("incident_number", String.valueOf(update.incidentNumber()))));
        }
        incident.put("status", update.phase().label());
        incident.put("body", update.body());
        config.component(update.component()).map(StatusPageConfig.Component::statuspage).filter(id -> id != null && !id.isBlank())
                .ifPresent(id -> {
                    incident.put("component_ids", List.of(id));
                    incident.put("components", Map.of(id, update.state().statuspage()));
                });
        try {
            return JSON.writeValueAsString(Map.of("incident", incident));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String idIn(String body) {
        try {
            JsonNode id = JSON.readTree(body).path("id");
            return id.isTextual() && !id.asText().isBlank() ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
