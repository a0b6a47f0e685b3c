package dev.firebreak.kernel;



/**
 * One page of a long answer (the open incidents, a timeline, a post-mortem draft): which page, of
 * how many, and the command that shows the next one. Asking for a page past the end is bad input.
 * Where counting everything would cost as much as the store is large, the count stops ({@link #atLeast}):
 * {@code total} is then a lower bound, and the page says "more than".
 */
public record Page(int number, int size, int total, boolean moreThanTotal) {

    /**
     * Page {@code requested} of {@code total} items ({@code what}: "events", or null), {@code size} a
     * page; {@code command} shows a page when its number is added to it. Every paged answer checks
     * the page asked for here, whichever platform it came from: a page that is not there (0, past
     * the end) is bad input that says how many pages there are and what to type.
     */
    public static Page of(int requested, int size, int total, String what, String command) {
        int pages = Math.max(1, (total + size - 1) / size);
        if (requested < 1 || requested > pages) {
            throw new InvalidInput("There " + (pages == 1 ? "is 1 page" : "are " + pages + " pages") + " of " + total
                    + (what == null ? "" : " " + what) + (command == null ? "." : "; ask for one of them, e.g. " + command + " " + pages + "."));
        }
        return new Page(requested, size, total, false);
    }

    /** The page {@code requested} of more than {@code counted} items (the count stopped there). */
    public static Page atLeast(int requested, int size, int counted, String command) {
        if (requested < 1) throw new InvalidInput("Pages are numbered from 1; e.g. " + command + " 2.");
        return new Page(requested, size, counted, true);
    }

    public int offset() {
        return (number - 1) * size;
    }

    /** How many pages (at least, when the count stopped). */
    public int pages() {
        return Math.max(moreThanTotal ? number : 1, (total + size - 1) / size);
    }

    public boolean last() {
        return !moreThanTotal && number >= pages();
    }

    /**
     * "Page 1 of 3 (events 1-50 of 140). More: /incident timeline 2" ({@code what} null leaves the
     * parenthesis out), "Page 2 (incidents 21-40 of more than 1000). More: /incident list 3" when the
     * count stopped, or, on one page, empty. With no {@code command} it names no next page.
     */
    public String footer(String what, String command) {
        if (pages() == 1 && !moreThanTotal) return "";
        int from = offset() + 1;
        int to = moreThanTotal ? offset() + size : Math.min(total, offset() + size);
        String of = moreThanTotal ? "more than " + total : String.valueOf(total);
        return "Page " + number + (moreThanTotal ? "" : " of " + pages()) + (what == null ? "" : " (" + what + " " + from + "-" + to
                + " of " + of + ")") + "." + (last() || command == null ? "" : " More: " + command + " " + (number + 1));
    }
}
