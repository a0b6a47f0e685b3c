package dev.firebreak.kernel;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emoji Firebreak knows, by the names people type between colons ({@code white_check_mark},
 * as Slack and Discord name them) and their Unicode. Reactions are configured and compared by
 * name; platforms that send or need Unicode are mapped here, and so are the {@code :name:}
 * shortcodes written in text (templates, runbook notes) for platforms that do not read them.
 */
public final class Emoji {

    private static final Map<String, String> UNICODE = Map.ofEntries(
            Map.entry("white_check_mark", "\u2705"), Map.entry("heavy_check_mark", "\u2714\uFE0F"),
            Map.entry("ballot_box_with_check", "\u2611\uFE0F"), Map.entry("x", "\u274C"),
            Map.entry("+1", "\uD83D\uDC4D"), Map.entry("-1", "\uD83D\uDC4E"), Map.entry("pushpin", "\uD83D\uDCCC"),
            Map.entry("octagonal_sign", "\uD83D\uDED1"), Map.entry("no_entry_sign", "\uD83D\uDEAB"),
            Map.entry("no_entry", "\u26D4"), Map.entry("warning", "\u26A0\uFE0F"), Map.entry("red_circle", "\uD83D\uDD34"),
            Map.entry("hourglass", "\u231B"), Map.entry("lock", "\uD83D\uDD12"),
            Map.entry("information_source", "\u2139\uFE0F"), Map.entry("rotating_light", "\uD83D\uDEA8"),
            Map.entry("bust_in_silhouette", "\uD83D\uDC64"), Map.entry("memo", "\uD83D\uDCDD"),
            Map.entry("alarm_clock", "\u23F0"), Map.entry("arrows_counterclockwise", "\uD83D\uDD04"),
            Map.entry("book", "\uD83D\uDCD6"), Map.entry("raised_hand", "\u270B"), Map.entry("pause_button", "\u23F8\uFE0F"),
            Map.entry("checkered_flag", "\uD83C\uDFC1"), Map.entry("loudspeaker", "\uD83D\uDCE2"),
            Map.entry("eyes", "\uD83D\uDC40"), Map.entry("fire", "\uD83D\uDD25"));

    private static final Map<String, String> ALIASES = Map.of("thumbsup", "+1", "thumbsdown", "-1");

    /** Emoji presentation selector: the same emoji with or without it. */
    private static final String VARIATION = "\uFE0F";

    private static final Pattern SHORTCODE = Pattern.compile(":([a-z0-9_+-]+):");

    private Emoji() {}

    /** {@code :white_check_mark:}, {@code white_check_mark} and {@code ✅} all become {@code white_check_mark}. */
    public static String normalise(String emoji) {
        String e = emoji.strip();
        if (e.length() > 2 && e.startsWith(":") && e.endsWith(":")) e = e.substring(1, e.length() - 1);
        String bare = e.replace(VARIATION, "");
        for (Map.Entry<String, String> known : UNICODE.entrySet()) {
            if (known.getValue().replace(VARIATION, "").equals(bare)) return known.getKey();
        }
        String name = e.toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(name, name);
    }

    /** The Unicode form of a known name, in any of the forms {@link #normalise} takes. */
    public static Optional<String> known(String name) {
        return Optional.ofNullable(UNICODE.get(normalise(name)));
    }

    /** The Unicode form, for platforms that react with Unicode (Discord); unknown names pass through. */
    public static String unicode(String name) {
        return known(name).orElse(name);
    }

    /** Text with the shortcodes of known emoji ({@code :warning:}) as Unicode; other text, unknown names included, stays. */
    public static String shortcodesAsUnicode(String text) {
        if (text.indexOf(':') < 0) return text;
        Matcher m = SHORTCODE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String unicode = UNICODE.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(unicode != null ? unicode : m.group()));
        }
        return m.appendTail(out).toString();
    }
}
