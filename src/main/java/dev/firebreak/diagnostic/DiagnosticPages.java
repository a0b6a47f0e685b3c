package dev.firebreak.diagnostic;

import dev.firebreak.chat.Outbox;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.incident.Page;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Long diagnostic output a page at a time, the same for every probe: a probe's details are cut
 * into lines (a table's rows, the lines of verbatim text, any other block whole) and one page of
 * them goes out under the summary and the details' opening text (the query's name, what it reads),
 * and above its closing notes, which every page repeats, with the footer the timeline's pages have, naming the command for the next page
 * ({@code Page 1 of 3 (lines 1-20 of 57). More: /diag pods mainnet --page 2}). A page holds at
 * most {@link #LINES} lines, fewer when that many would not go out as one post on the platform
 * (its own limits decide, {@link Outbox#partsOn}), so a page is always one message part.
 */
public final class DiagnosticPages {

    /** Lines on a page when they fit in one post. */
    public static final int LINES = 20;

    private final Outbox outbox;

    public DiagnosticPages(Outbox outbox) {
        this.outbox = outbox;
    }

    /** One line of output: a row of a table (with the table's headers), a line of verbatim text, or a block. */
    private record Line(Message.Block block, int group) {}

    /**
     * Page {@code page} of {@code details} under {@code head} for {@code platform}, at most
     * {@code lines} lines; {@code command} is the command line that shows a page when
     * {@code --page N} is added to it. Output on one page goes out whole, without a footer. A page
     * past the end is bad input ({@link Page#of}).
     */
    public Message page(String platform, Message summary, Message details, int page, int lines, String command) {
        List<Message.Block> blocks = details.blocks();
        int opening = 0;
        while (opening < blocks.size() && !splits(blocks.get(opening))) opening++;
        int closing = blocks.size();
        while (closing > opening && !splits(blocks.get(closing - 1))) closing--;
        Message head = Message.builder().append(summary).append(new Message(blocks.subList(0, opening))).build();
        Message tail = new Message(blocks.subList(closing, blocks.size()));
        List<Line> all = lines(new Message(blocks.subList(opening, closing)));
        String next = command + " --" + CommandSpec.PAGE_OPTION;
        int size = Math.max(1, lines);
        while (size > 1 && !fitsOnePost(platform, head, all, tail, size, next)) size = size / 2;
        Page at = Page.of(String.valueOf(page), size, all.size(), next);
        return render(head, all, tail, at, next);
    }

    private boolean fitsOnePost(String platform, Message head, List<Line> all, Message tail, int size, String command) {
        int pages = Math.max(1, (all.size() + size - 1) / size);
        for (int number = 1; number <= pages; number++) {
            Page at = Page.of(String.valueOf(number), size, all.size(), command);
            if (outbox.partsOn(platform, render(head, all, tail, at, command)) > 1) return false;
        }
        return true;
    }

    private static Message render(Message head, List<Line> all, Message tail, Page page, String command) {
        Message.Builder out = Message.builder().append(head);
        List<Line> shown = all.subList(Math.min(all.size(), page.offset()), Math.min(all.size(), page.offset() + page.size()));
        int i = 0;
        while (i < shown.size()) {
            Line line = shown.get(i);
            int j = i + 1;
            while (j < shown.size() && shown.get(j).group() == line.group() && line.group() >= 0) j++;
            out.append(new Message(List.of(joined(shown.subList(i, j)))));
            i = j;
        }
        out.append(tail);
        String footer = page.footer("lines", command);
        if (!footer.isEmpty()) out.note(footer);
        return out.build();
    }

    /** Consecutive lines of one table or one verbatim block, put back together. */
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

    private static List<Line> lines(Message details) {
        List<Line> lines = new ArrayList<>();
        int group = 0;
        for (Message.Block block : details.blocks()) {
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
