package dev.firebreak.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The status page as documents: HTML readable on a phone, with no script, every text escaped by
 * Mustache; and JSON with the same content.
 */
public final class StatusPageDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Template HTML = Mustache.compiler().escapeHTML(true).defaultValue("").emptyStringIsFalse(true)
            .withLoader(name -> new StringReader(resource(name + ".mustache")))
            .compile(resource("status-page.mustache"));

    private StatusPageDocuments() {}

    public static String html(StatusPageView view) {
        return HTML.execute(view);
    }

    public static String json(StatusPageView view) {
        try {
            return JSON.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the status page cannot be written as JSON", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = StatusPageDocuments.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
