package dev.firebreak.kernel;

import java.util.Locale;
import java.util.Map;

/** Reaction names as configured (Slack style, e.g. {@code white_check_mark}); platforms that send Unicode are mapped. */
public final class Emoji {

    private static final Map<String, String> UNICODE = Map.ofEntries(
            Map.entry("✅", "white_check_mark"), Map.entry("✔️", "heavy_check_mark"), Map.entry("✔", "heavy_check_mark"),
            Map.entry("❌", "x"), Map.entry("👍", "+1"), Map.entry("👎", "-1"), Map.entry("📌", "pushpin"),
            Map.entry("🛑", "octagonal_sign"), Map.entry("🚫", "no_entry_sign"));

    private Emoji() {}

    /** {@code :white_check_mark:}, {@code white_check_mark} and {@code ✅} all become {@code white_check_mark}. */
    public static String normalise(String emoji) {
        String e = emoji.strip();
        if (e.length() > 2 && e.startsWith(":") && e.endsWith(":")) e = e.substring(1, e.length() - 1);
        String mapped = UNICODE.get(e);
        if (mapped != null) return mapped;
        if (e.equals("thumbsup")) return "+1";
        if (e.equals("thumbsdown")) return "-1";
        return e.toLowerCase(Locale.ROOT);
    }

    /** The Unicode form, for platforms that react with Unicode (Discord); unknown names pass through. */
    public static String unicode(String name) {
        return UNICODE.entrySet().stream().filter(x -> x.getValue().equals(normalise(name)))
                .map(Map.Entry::getKey).findFirst().orElse(name);
    }
}
