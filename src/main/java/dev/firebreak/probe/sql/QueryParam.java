package dev.firebreak.probe.sql;

import dev.firebreak.kernel.InvalidInput;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A parameter of a named query, given in chat and bound with {@code PreparedStatement} (never
 * concatenated). Types: {@code text} (letters, digits, {@code _ - . : @}, up to 128), {@code int}, {@code uuid}.
 */
public record QueryParam(String name, String type, String description) {

    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    String typeOrDefault() {
        return type == null ? "text" : type.toLowerCase(Locale.ROOT);
    }

    /** The typed value to bind, or {@link InvalidInput} saying what is expected. */
    Object parse(String raw) {
        String value = raw == null ? "" : raw.strip();
        return switch (typeOrDefault()) {
            case "int" -> {
                try {
                    yield Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new InvalidInput("'" + value + "' is not a whole number for " + name + ".");
                }
            }
            case "uuid" -> {
                try {
                    yield UUID.fromString(value);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInput("'" + value + "' is not a UUID for " + name + " (like 3f2b8c1e-0000-4000-8000-00000000abcd).");
                }
            }
            default -> {
                if (!TEXT.matcher(value).matches()) {
                    throw new InvalidInput("'" + value + "' is not a valid " + name
                            + ": use letters, digits and _ - . : @ (up to 128 characters).");
                }
                yield value;
            }
        };
    }
}
