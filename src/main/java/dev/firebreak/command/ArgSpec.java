package dev.firebreak.command;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * One positional argument. Types: {@code word} (one token), {@code int}, {@code text} (the rest
 * of the line, last only), {@code choice} (one of {@code values}), {@code severity}, {@code person},
 * {@code status}.
 */
public record ArgSpec(String name, String type, String description, Boolean optional,
                      @JsonProperty("default") String defaultValue,
                      List<String> values) {

    public boolean isOptional() {
        return Boolean.TRUE.equals(optional) || defaultValue != null;
    }

    public String typeOrWord() {
        return type == null ? "word" : type;
    }

    public String usage() {
        String shown = name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if ("choice".equals(type) && values != null) shown = String.join("|", values);
        if ("text".equals(type)) shown = shown + "...";
        return isOptional() ? "[" + shown + "]" : shown;
    }
}
