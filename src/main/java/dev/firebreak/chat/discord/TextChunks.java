package dev.firebreak.chat.discord;

import java.util.ArrayList;
import java.util.List;

/** Splits text into pieces no longer than a limit, at a line break or space where it can; nothing is dropped but the break itself. */
final class TextChunks {

    private TextChunks() {}

    static List<String> split(String text, int limit) {
        List<String> pieces = new ArrayList<>();
        String rest = text;
        while (rest.length() > limit) {
            Cut cut = cut(rest, limit);
            pieces.add(cut.head());
            rest = cut.rest();
        }
        pieces.add(rest);
        return pieces;
    }

    /** The longest head of {@code text} (at most {@code limit}) that ends at a line break or space if one is in the second half. */
    static Cut cut(String text, int limit) {
        if (text.length() <= limit) return new Cut(text, "");
        int at = text.lastIndexOf('\n', limit);
        boolean atBreak = at >= limit / 2;
        if (!atBreak) {
            at = text.lastIndexOf(' ', limit);
            atBreak = at >= limit / 2;
        }
        if (!atBreak) {
            at = limit;
            if (Character.isHighSurrogate(text.charAt(at - 1))) at--;
        }
        return new Cut(text.substring(0, at), text.substring(atBreak ? at + 1 : at));
    }

    record Cut(String head, String rest) {}
}
