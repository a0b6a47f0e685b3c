package dev.firebreak.chat.discord;

import dev.firebreak.kernel.Emoji;

import java.util.Map;

/**
 * Emoji as the engine names them ({@code white_check_mark}, see {@link Emoji}) and as Discord sends
 * them (Unicode). Inbound reactions are normalised by {@link Emoji#normalise}; outbound, names,
 * {@code :names:}, custom emoji ({@code <:name:id>}) and raw Unicode are accepted.
 */
final class EmojiNames {

    /** Names the shared table does not know, which Firebreak still uses for its own reactions. */
    private static final Map<String, String> MORE_UNICODE = Map.ofEntries(
            Map.entry("no_entry", "\u26D4"),
            Map.entry("eyes", "\uD83D\uDC40"),
            Map.entry("rotating_light", "\uD83D\uDEA8"),
            Map.entry("warning", "\u26A0\uFE0F"),
            Map.entry("fire", "\uD83D\uDD25"));

    private EmojiNames() {}

    /** What to send to Discord; an unknown name is refused with the names that work. */
    static String toDiscord(String emoji) {
        String name = Emoji.normalise(emoji);
        String unicode = Emoji.unicode(name);
        if (!unicode.equals(name)) return unicode;
        if (MORE_UNICODE.containsKey(name)) return MORE_UNICODE.get(name);
        if (name.matches("[a-z0-9_+-]+")) {
            throw new IllegalArgumentException("unknown emoji name '" + emoji + "': use the Unicode character itself, "
                    + "a custom emoji as <:name:id>, or a name such as white_check_mark, x, +1, -1, octagonal_sign, eyes");
        }
        return emoji.strip();
    }

    /** What the engine sees: the shared name for a known Unicode emoji, else what Discord sent. */
    static String toNeutral(String discordEmoji) {
        String bare = discordEmoji.replace("\uFE0F", "");
        String name = Emoji.normalise(bare);
        if (!name.equals(bare.toLowerCase(java.util.Locale.ROOT))) return name;
        return MORE_UNICODE.entrySet().stream().filter(e -> e.getValue().replace("\uFE0F", "").equals(bare))
                .map(Map.Entry::getKey).findFirst().orElse(discordEmoji);
    }
}
