package dev.firebreak.paging;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts one event to PagerDuty's Events API v2 ({@code POST /v2/enqueue}) and says how it was answered. */
public final class PagerDutyEvents {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI url;

    public PagerDutyEvents(String url) {
        this.url = URI.create(url);
    }

    /** How PagerDuty answered: accepted (202), refused for good (400 and other 4xx but 429), or worth trying again. */
    public sealed interface Answer {
        record Accepted() implements Answer {}

        record Refused(int status, String body) implements Answer {}

        record TryAgain(String why) implements Answer {}
    }

    public Answer send(String json) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) return new Answer.Accepted();
            if (status == 429 || status >= 500) return new Answer.TryAgain("HTTP " + status);
            return new Answer.Refused(status, response.body() == null ? "" : response.body());
        } catch (IOException e) {
            return new Answer.TryAgain(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.TryAgain("interrupted");
        }
    }
}
