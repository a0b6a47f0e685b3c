package dev.firebreak.incident;

import dev.firebreak.kernel.InvalidInput;

/**
 * One page of a long answer (the open incidents, a timeline, a post-mortem draft): which page, of
 * how many, and the command that shows the next one. Asking for a page past the end is bad input.
 */
public record Page(int number, int size, int total) {

    /** The page {@code requested} (1 when none is) of {@code total} items, {@code size} a page; {@code command} shows a page. */
    public static Page of(String requested, int size, int total, String command) {
        int number = 1;
        if (requested != null && !requested.isBlank()) {
            try {
                number = Integer.parseInt(requested.strip());
            } catch (NumberFormatException e) {
                number = 0;
            }
        }
        int pages = Math.max(1, (total + size - 1) / size);
        if (number < 1 || number > pages) {
            throw new InvalidInput("There " + (pages == 1 ? "is 1 page" : "are " + pages + " pages") + " of " + total
                    + "; ask for one of them, e.g. " + command + " " + pages + ".");
        }
        return new Page(number, size, total);
    }

    public int offset() {
        return (number - 1) * size;
    }

    public int pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public boolean last() {
        return number >= pages();
    }

    /**
     * "Page 1 of 3 (events 1-50 of 140). More: /incident timeline 2" ({@code what} null leaves the
     * parenthesis out) or, on one page, empty.
     */
    public String footer(String what, String command) {
        if (pages() == 1) return "";
        int from = offset() + 1;
        int to = Math.min(total, offset() + size);
        return "Page " + number + " of " + pages() + (what == null ? "" : " (" + what + " " + from + "-" + to + " of " + total + ")") + "."
                + (last() ? "" : " More: " + command + " " + (number + 1));
    }
}
