package dev.firebreak.chat.discord;

import dev.firebreak.kernel.Emoji;

import java.util.Optional;

/**
 * Emoji as the engine names them ({@code white_check_mark}, see {@link Emoji}) and as Discord sends
 * them (Unicode). Inbound reactions are normalised by {@link Emoji#normalise}; outbound, names,
 * {@code :names:}, custom emoji ({@code <:name:id>}) and raw Unicode are accepted.
 */
final class EmojiNames {

    private EmojiNames() {}

    /** What to send to Discord; an unknown name is refused with the names that work. */
    static String toDiscord(String emoji) {
        Optional<String> unicode = Emoji.known(emoji);
        if (unicode.isPresent()) return unicode.get();
        if (Emoji.normalise(emoji).matches("[a-z0-9_+-]+")) {
            throw new IllegalArgumentException("unknown emoji name '" + emoji + "': use the Unicode character itself, "
                    + "a custom emoji as <:name:id>, or a name such as white_check_mark, x, +1, -1, octagonal_sign, eyes");
        }
        return emoji.strip();
    }

    /** What the engine sees: the shared name for a known Unicode emoji, else what Discord sent. */
    static String toNeutral(String discordEmoji) {
        String name = Emoji.normalise(discordEmoji);
        return Emoji.known(name).isPresent() ? name : discordEmoji;
    }
}
