package dev.firebreak.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Expands {@code ${VAR}} and {@code ${VAR:-default}} in configuration values. */
public final class EnvironmentVariables {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Map<String, String> env;

    public EnvironmentVariables(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * Expands every reference; a variable that is unset and has no default is reported to
     * {@code missing} by name and expands to the empty string.
     */
    public String expand(String text, Consumer<String> missing) {
        if (text == null || !text.contains("${")) return text;
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty()) {
                if (m.group(2) != null) {
                    value = m.group(3);
                } else {
                    missing.accept(m.group(1));
                    value = "";
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** True when the text is exactly one {@code ${VAR}} or {@code ${VAR:-default}} reference. */
    public static boolean isSingleReference(String text) {
        return text != null && REFERENCE.matcher(text.strip()).matches();
    }
}
