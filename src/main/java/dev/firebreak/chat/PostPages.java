package dev.firebreak.chat;

import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Page;

import java.util.ArrayList;
import java.util.List;

/**
 * Long output a page at a time, each page exactly one post on its platform: a diagnostic's
 * details, a timeline, a post-mortem draft, a runbook step's output, a schedule's digest. The
 * output's body is cut into lines (a table's rows, the lines of verbatim text, any other block
 * whole); one page of them goes out between a head and a tail that every page repeats, with a
 * footer naming the command for the next page ({@code Page 1 of 3 (lines 1-20 of 57). More:
 * /diag pods mainnet --page 2}).
 *
 * <p>The one rule for what fits: a page holds at most the lines asked for (usually {@link #LINES}),
 * halved until every page of that size goes out as one post on the platform (its own limits
 * decide, {@link Outbox#fitsOnePost}); all pages have the same size, so page N is the same lines
 * whichever page is asked for. A line that does not fit a post even alone is cut, with a marker
 * saying how much was left out, rather than split over two posts. Deciding this renders a few
 * pages (the heaviest of each size), never every page: the lines are weighed as text first.
 */
public final class PostPages {

    /** Lines on a page when they fit in one post. */
    public static final int LINES = 20;

    private final Outbox outbox;

    public PostPages(Outbox outbox) {
        this.outbox = outbox;
    }

    /** One page as it goes out, and where it stands among the others. */
    public record Shown(Message message, Page page) {}

    /**
     * An output's blocks around the part that is cut into lines: the opening text (a query's
     * name, what it reads) and the closing notes, which every page repeats.
     */
    public record Sections(Message opening, Message body, Message closing) {

        /** Everything from the first table or verbatim block to the last one is the body. */
        public static Sections of(Message details) {
            List<Message.Block> blocks = details.blocks();
            int opening = 0;
            while (opening < blocks.size() && !splits(blocks.get(opening))) opening++;
            int closing = blocks.size();
            while (closing > opening && !splits(blocks.get(closing - 1))) closing--;
            return new Sections(new Message(blocks.subList(0, opening)), new Message(blocks.subList(opening, closing)),
                    new Message(blocks.subList(closing, blocks.size())));
        }
    }

    /**
     * Page {@code requested} of {@code details} (its {@link Sections}) under {@code summary}: the
     * shape of a probe's output, on {@code /diag}, in a snapshot and in a runbook's thread.
     */
    public Shown details(String platform, Message summary, Message details, int requested, int most, String what, String command) {
        Sections sections = Sections.of(details);
        return page(platform, Message.builder().append(summary).append(sections.opening()).build(), sections.body(),
                sections.closing(), requested, most, what, command);
    }

    /**
     * Page {@code requested} of {@code body}'s lines between {@code head} and {@code tail} on
     * {@code platform}, at most {@code most} lines a page; {@code what} names the lines in the
     * footer ("events"), {@code command} shows a page when its number is added to it (null when no
     * command does: the footer then names no next page). Output on one page goes out whole, without
     * a footer. A page past the end is bad input ({@link Page#of}).
     */
    public Shown page(String platform, Message head, Message body, Message tail, int requested, int most, String what, String command) {
        List<Line> lines = lines(body);
        int size = Math.max(1, most);
        while (size > 1 && !fits(platform, head, lines, tail, size, what, command)) size = size / 2;
        if (size == 1 && !fits(platform, head, lines, tail, 1, what, command)) lines = cut(platform, head, lines, tail, what, command);
        Page at = Page.of(requested, size, lines.size(), what, command);
        return new Shown(render(head, lines, tail, at, what, command), at);
    }

    /**
     * A page read from the store as one page ({@code body} holds its lines and no others, {@code at}
     * says where it stands among the rest) between {@code head} and {@code tail} on {@code platform}.
     * When it is too heavy for one post, its long lines are cut to one length, the longest that
     * fits, each with a marker saying how much went: the page's place among the others does not move.
     */
    public Message window(String platform, Message head, Message body, Message tail, Page at, String what, String command) {
        List<Line> lines = lines(body);
        Page whole = new Page(1, Math.max(1, lines.size()), lines.size(), false);
        if (!onePost(platform, head, lines, tail, whole, at, what, command)) {
            int low = 0;
            int high = lines.stream().mapToInt(Line::length).max().orElse(0);
            while (low < high) {
                int mid = (low + high + 1) / 2;
                if (onePost(platform, head, cutTo(lines, mid), tail, whole, at, what, command)) low = mid;
                else high = mid - 1;
            }
            lines = cutTo(lines, low);
        }
        Message.Builder out = Message.builder().append(head);
        appendLines(out, lines);
        out.append(tail);
        String footer = at.footer(what, command);
        if (!footer.isEmpty()) out.note(footer);
        return out.build();
    }

    private static List<Line> cutTo(List<Line> lines, int keep) {
        return lines.stream().map(line -> line.length() > keep ? line.cut(keep) : line).toList();
    }

    /** Whether every page of {@code size} lines is one post: the heaviest two by weight are rendered to see. */
    private boolean fits(String platform, Message head, List<Line> lines, Message tail, int size, String what, String command) {
        int pages = Math.max(1, (lines.size() + size - 1) / size);
        long heaviest = -1;
        long second = -1;
        int first = 0;
        int next = -1;
        for (int page = 0; page < pages; page++) {
            long weight = weight(lines.subList(page * size, Math.min(lines.size(), (page + 1) * size)));
            if (weight > heaviest) {
                second = heaviest;
                next = first;
                heaviest = weight;
                first = page;
            } else if (weight > second) {
                second = weight;
                next = page;
            }
        }
        Page widest = widestFooter(size, lines.size());
        if (!onePost(platform, head, lines, tail, new Page(first + 1, size, lines.size(), false), widest, what, command)) return false;
        return next < 0 || onePost(platform, head, lines, tail, new Page(next + 1, size, lines.size(), false), widest, what, command);
    }

    /** The page whose footer is the longest: the last but one names the last. */
    private static Page widestFooter(int size, int total) {
        int pages = Math.max(1, (total + size - 1) / size);
        return new Page(Math.max(1, pages - 1), size, total, false);
    }

    private boolean onePost(String platform, Message head, List<Line> lines, Message tail, Page shown, Page footer, String what,
                            String command) {
        Message.Builder out = Message.builder().append(head);
        appendLines(out, lines.subList(shown.offset(), Math.min(lines.size(), shown.offset() + shown.size())));
        out.append(tail);
        String note = footer.footer(what, command);
        if (!note.isEmpty()) out.note(note);
        return outbox.fitsOnePost(platform, out.build());
    }

    /**
     * The lines with those too long for a post alone cut: the heaviest is cut just short enough
     * to fit (a binary search over its length), and every line longer than it to the same length.
     */
    private List<Line> cut(String platform, Message head, List<Line> lines, Message tail, String what, String command) {
        Line heaviest = null;
        for (Line line : lines) if (heaviest == null || line.weight() > heaviest.weight()) heaviest = line;
        if (heaviest == null) return lines;
        Page shown = new Page(1, 1, 1, false);
        Page footer = widestFooter(1, lines.size());
        int low = 0;
        int high = heaviest.length();
        while (low < high) {
            int mid = (low + high + 1) / 2;
            if (onePost(platform, head, List.of(heaviest.cut(mid)), tail, shown, footer, what, command)) low = mid;
            else high = mid - 1;
        }
        return cutTo(lines, Math.max(0, low - MARKER_SLACK));
    }

    private static Message render(Message head, List<Line> lines, Message tail, Page page, String what, String command) {
        Message.Builder out = Message.builder().append(head);
        appendLines(out, lines.subList(Math.min(lines.size(), page.offset()), Math.min(lines.size(), page.offset() + page.size())));
        out.append(tail);
        String footer = page.footer(what, command);
        if (!footer.isEmpty()) out.note(footer);
        return out.build();
    }

    /** Consecutive lines of one table or one verbatim block, put back together. */
    private static void appendLines(Message.Builder out, List<Line> shown) {
        int i = 0;
        while (i < shown.size()) {
            Line line = shown.get(i);
            int j = i + 1;
            while (j < shown.size() && shown.get(j).group() == line.group() && line.group() >= 0) j++;
            out.append(new Message(List.of(joined(shown.subList(i, j)))));
            i = j;
        }
    }

    /**
     * What a run of lines weighs as text: a table's rows are as wide as its widest cells (the
     * columns are aligned), other lines their length; the characters a platform escapes count more.
     */
    private static long weight(List<Line> lines) {
        long weight = 0;
        int i = 0;
        while (i < lines.size()) {
            Line line = lines.get(i);
            int j = i + 1;
            while (j < lines.size() && lines.get(j).group() == line.group() && line.group() >= 0) j++;
            if (line.block() instanceof Message.Table table && !table.rows().isEmpty()) {
                int[] widths = new int[table.headers().size() + 1];
                for (Line row : lines.subList(i, j)) {
                    List<String> cells = ((Message.Table) row.block()).rows().getFirst();
                    for (int c = 0; c < Math.min(widths.length, cells.size()); c++) widths[c] = Math.max(widths[c], weight(cells.get(c)) + 2);
                }
                long width = 3;
                for (int w : widths) width += w;
                weight += width * (j - i);
            } else {
                for (Line other : lines.subList(i, j)) weight += other.weight() + 1;
            }
            i = j;
        }
        return weight;
    }

    private static int weight(String text) {
        int weight = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            weight += c == '&' || c == '<' || c == '>' ? 5 : c == '`' ? 2 : 1;
        }
        return weight;
    }

    /** One line of output: a row of a table (with the table's headers), a line of verbatim text, or a block; its group says which. */
    private record Line(Message.Block block, int group) {

        /** Characters in the line, what {@link #cut} counts. */
        int length() {
            return switch (block) {
                case Message.Table table -> table.rows().isEmpty() ? 0 : table.rows().getFirst().stream().mapToInt(String::length).sum();
                case Message.Preformatted text -> text.text().length();
                case Message.Paragraph paragraph -> paragraph.text().length();
                case Message.Note note -> note.text().length();
                default -> 0;
            };
        }

        int weight() {
            return switch (block) {
                case Message.Table table -> table.rows().isEmpty() ? 0
                        : table.rows().getFirst().stream().mapToInt(cell -> PostPages.weight(cell) + 2).sum();
                case Message.Preformatted text -> PostPages.weight(text.text());
                case Message.Paragraph paragraph -> PostPages.weight(paragraph.text());
                case Message.Note note -> PostPages.weight(note.text());
                default -> PostPages.weight(block.toString());
            };
        }

        /** The line shortened to {@code keep} characters, the longest cell of a row first, with a marker saying how many went. */
        Line cut(int keep) {
            int over = length() - keep;
            if (over <= 0) return this;
            return switch (block) {
                case Message.Table table -> {
                    List<String> cells = new ArrayList<>(table.rows().getFirst());
                    int marked = widest(cells);
                    int left = over;
                    while (left > 0) {
                        int widest = widest(cells);
                        String cell = cells.get(widest);
                        if (cell.isEmpty()) break;
                        int next = 0;
                        for (int c = 0; c < cells.size(); c++) if (c != widest) next = Math.max(next, cells.get(c).length());
                        int take = Math.min(left, Math.max(1, cell.length() - next));
                        cells.set(widest, cell.substring(0, cell.length() - take));
                        left -= take;
                    }
                    cells.set(marked, marked(cells.get(marked), over));
                    yield new Line(new Message.Table(table.headers(), List.of(cells), table.icons()), group);
                }
                case Message.Preformatted text -> new Line(new Message.Preformatted(marked(text.text().substring(0, keep), over)), group);
                case Message.Paragraph paragraph ->
                        new Line(new Message.Paragraph(paragraph.icon(), marked(paragraph.text().substring(0, keep), over)), group);
                case Message.Note note -> new Line(new Message.Note(marked(note.text().substring(0, keep), over)), group);
                default -> this;
            };
        }

        private static int widest(List<String> cells) {
            int widest = 0;
            for (int c = 1; c < cells.size(); c++) if (cells.get(c).length() > cells.get(widest).length()) widest = c;
            return widest;
        }

        private static String marked(String kept, int over) {
            return kept + CUT_MARKER + over + " characters cut)";
        }
    }

    /** Room left for a longer count in another line's marker than in the heaviest's. */
    private static final int MARKER_SLACK = 8;

    /** What a line cut to fit one post ends with, before the count of characters left out: "… (812 characters cut)". */
    public static final String CUT_MARKER = "… (";

    private static Message.Block joined(List<Line> lines) {
        Message.Block first = lines.getFirst().block();
        if (lines.size() == 1) return first;
        if (first instanceof Message.Table table) {
            List<List<String>> rows = new ArrayList<>();
            List<Icon> icons = new ArrayList<>();
            for (Line line : lines) {
                Message.Table row = (Message.Table) line.block();
                rows.addAll(row.rows());
                icons.addAll(row.icons());
            }
            return new Message.Table(table.headers(), rows, icons);
        }
        if (first instanceof Message.Preformatted) {
            return new Message.Preformatted(String.join("\n", lines.stream().map(l -> ((Message.Preformatted) l.block()).text()).toList()));
        }
        throw new IllegalStateException("only tables and verbatim text are split into lines");
    }

    private static boolean splits(Message.Block block) {
        return block instanceof Message.Table || block instanceof Message.Preformatted;
    }

    private static List<Line> lines(Message body) {
        List<Line> lines = new ArrayList<>();
        int group = 0;
        for (Message.Block block : body.blocks()) {
            switch (block) {
                case Message.Table table -> {
                    for (int r = 0; r < table.rows().size(); r++) {
                        lines.add(new Line(new Message.Table(table.headers(), List.of(table.rows().get(r)),
                                table.icons().isEmpty() ? List.of() : List.of(table.icons().get(r))), group));
                    }
                    if (table.rows().isEmpty()) lines.add(new Line(table, -1));
                }
                case Message.Preformatted text -> {
                    for (String line : text.text().stripTrailing().split("\n", -1)) lines.add(new Line(new Message.Preformatted(line), group));
                }
                default -> lines.add(new Line(block, -1));
            }
            group++;
        }
        return lines;
    }
}
