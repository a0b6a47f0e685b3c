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
            int cut = rest.lastIndexOf('\n', limit);
            boolean atBreak = cut >= limit / 2;
            if (!atBreak) {
                cut = rest.lastIndexOf(' ', limit);
                atBreak = cut >= limit / 2;
            }
            if (!atBreak) {
                cut = limit;
                if (Character.isHighSurrogate(rest.charAt(cut - 1))) cut--;
            }
            pieces.add(rest.substring(0, cut));
            rest = rest.substring(atBreak ? cut + 1 : cut);
        }
        pieces.add(rest);
        return pieces;
    }
}
