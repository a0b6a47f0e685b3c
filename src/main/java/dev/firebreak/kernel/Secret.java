package dev.firebreak.kernel;

import java.util.Objects;

/**
 * A secret read from the environment ({@code ${VAR}}) or a file ({@code file:/path}) when the
 * configuration is loaded. It never prints: {@link #toString()} is redacted, and its value is
 * remembered by the {@link Redactor}, so the value itself shows as {@code ****} in anything
 * Firebreak posts, stores or logs, whatever text it turns up in.
 */
public final class Secret {

    private final String source;
    private final String value;

    public Secret(String source, String value) {
        this.source = Objects.requireNonNull(source);
        this.value = value == null ? "" : value;
        Redactor.remember(this.value);
    }

    /** The secret itself. Call it only where the secret is sent (an Authorization header, a signer). */
    public String reveal() {
        return value;
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** Where the secret comes from, e.g. {@code env SEQUENCER_API_TOKEN}: safe to show. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "****";
    }
}
