package dev.firebreak.kernel;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A webhook request as received: the raw body bytes (signatures are computed over them) and the headers. */
public record WebhookRequest(byte[] body, Map<String, String> headers) {

    public WebhookRequest {
        body = body.clone();
        TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(headers);
        headers = java.util.Collections.unmodifiableMap(caseInsensitive);
    }

    /** A header by name, ignoring case. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
