package dev.firebreak.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.app.Firebreak;
import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Reply;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kernel.WebPage;
import dev.firebreak.kernel.WebhookResponse;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Firebreak as {@code Main} wires it, on the console and a store the test chooses, with a clock
 * the test moves: commands typed, what was posted, and the status page's documents as the
 * operations server serves them.
 */
final class StatusPageBot implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Database database;
    final Firebreak firebreak;
    private final ByteArrayOutputStream posted = new ByteArrayOutputStream();

    StatusPageBot(FirebreakConfig config, String databaseUrl, MutableClock clock) {
        database = Database.open(databaseUrl);
        ConsolePlatform platform = new ConsolePlatform(new PrintStream(posted, true, StandardCharsets.UTF_8),
                new JdbcOutboxStore(database).countDelivered("console"));
        firebreak = Firebreak.assemble(config, database, clock, List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)),
                new SimpleMeterRegistry());
    }

    /** Types {@code line} as {@code who} in {@code channel}; returns the direct answer's text. */
    String say(String who, String channel, String line) {
        Reply reply = firebreak.engine().onCommand(new Inbound.Command("console", who, channel, line));
        firebreak.outbox().deliverDue();
        return reply.message().plainText();
    }

    String posted() {
        return posted.toString(StandardCharsets.UTF_8);
    }

    WebhookResponse get(String path) {
        Map<String, WebPage> pages = firebreak.pages();
        return pages.get(path).get();
    }

    JsonNode json() {
        WebhookResponse response = get("/status.json");
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String html() {
        return get("/status").body();
    }

    /** The state word of a component on the page. */
    String stateOf(String component) {
        for (JsonNode c : json().path("components")) {
            if (c.path("id").asText().equals(component)) return c.path("state").asText();
        }
        throw new AssertionError("no component " + component + " on the page");
    }

    @Override
    public void close() {
        firebreak.close();
        database.close();
    }
}
