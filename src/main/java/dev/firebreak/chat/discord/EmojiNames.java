package dev.firebreak.chat.discord;

import java.util.Map;

/**
 * Emoji as the engine names them ({@code white_check_mark}, as Slack does) and as Discord sends
 * them (Unicode). Inbound reactions use the name when one is known, so approval emoji configured
 * once work on every platform; outbound, names, {@code :names:} and raw Unicode are all accepted.
 */
final class EmojiNames {

    private static final Map<String, String> UNICODE_BY_NAME = Map.ofEntries(
            Map.entry("white_check_mark", "\u2705"),
            Map.entry("heavy_check_mark", "\u2714"),
            Map.entry("x", "\u274C"),
            Map.entry("no_entry", "\u26D4"),
            Map.entry("no_entry_sign", "\uD83D\uDEAB"),
            Map.entry("+1", "\uD83D\uDC4D"),
            Map.entry("thumbsup", "\uD83D\uDC4D"),
            Map.entry("-1", "\uD83D\uDC4E"),
            Map.entry("thumbsdown", "\uD83D\uDC4E"),
            Map.entry("eyes", "\uD83D\uDC40"),
            Map.entry("rotating_light", "\uD83D\uDEA8"),
            Map.entry("warning", "\u26A0"),
            Map.entry("octagonal_sign", "\uD83D\uDED1"),
            Map.entry("fire", "\uD83D\uDD25"));

    private static final Map<String, String> NAME_BY_UNICODE = Map.ofEntries(
            Map.entry("\u2705", "white_check_mark"),
            Map.entry("\u2714", "heavy_check_mark"),
            Map.entry("\u274C", "x"),
            Map.entry("\u26D4", "no_entry"),
            Map.entry("\uD83D\uDEAB", "no_entry_sign"),
            Map.entry("\uD83D\uDC4D", "+1"),
            Map.entry("\uD83D\uDC4E", "-1"),
            Map.entry("\uD83D\uDC40", "eyes"),
            Map.entry("\uD83D\uDEA8", "rotating_light"),
            Map.entry("\u26A0", "warning"),
            Map.entry("\uD83D\uDED1", "octagonal_sign"),
            Map.entry("\uD83D\uDD25", "fire"));

    private EmojiNames() {}

    /** What to send to Discord: Unicode for a known name, a custom emoji ({@code <:name:id>}) or Unicode as given. */
    static String toDiscord(String emoji) {
        String bare = emoji.strip();
        if (bare.length() > 2 && bare.startsWith(":") && bare.endsWith(":")) bare = bare.substring(1, bare.length() - 1);
        String unicode = UNICODE_BY_NAME.get(bare);
        if (unicode != null) return unicode;
        if (bare.matches("[a-z0-9_+-]+")) {
            throw new IllegalArgumentException("unknown emoji name '" + emoji
                    + "': use the Unicode character itself or one of " + UNICODE_BY_NAME.keySet().stream().sorted().toList());
        }
        return bare;
    }

    /** What the engine sees: the name for a known Unicode emoji (variation selector ignored), else what Discord sent. */
    static String toNeutral(String discordEmoji) {
        String withoutSelector = discordEmoji.replace("\uFE0F", "");
        return NAME_BY_UNICODE.getOrDefault(withoutSelector, discordEmoji);
    }
}
