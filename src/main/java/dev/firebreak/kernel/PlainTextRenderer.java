package dev.firebreak.kernel;


import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Renders a {@link Message} as plain text with aligned tables. */
public final class PlainTextRenderer {

    /** The selector after a character that asks for it to be shown as an emoji ({@code ⚠️} rather than {@code ⚠}). */
    private static final char EMOJI_PRESENTATION = '\uFE0F';

    private PlainTextRenderer() {}

    /** The message the way the console and logs show it, icons as words in brackets ({@code [ok]}). */
    public static String render(Message message) {
        return render(message, Icon::plain);
    }

    /** The message as plain text with each icon as {@code iconText} shows it. */
    public static String render(Message message, Function<Icon, String> iconText) {
        List<String> parts = new ArrayList<>();
        for (Message.Block block : message.blocks()) {
            parts.add(switch (block) {
                case Message.Heading h -> withIcon(h.icon(), "*" + h.text() + "*", iconText);
                case Message.Paragraph p -> withIcon(p.icon(), p.text(), iconText);
                case Message.Fields f -> String.join("\n",
                        f.fields().stream().map(x -> x.label() + ": " + x.value()).toList());
                case Message.Table t -> table(t, iconText);
                case Message.Preformatted p -> p.text();
                case Message.Note n -> "_" + n.text() + "_";
                case Message.Mentions m -> String.join(" ", m.userIds().stream().map(id -> "@" + id).toList());
            });
        }
        return String.join("\n", parts);
    }

    /** {@code text} with the icon and a space in front of it, or as it is when there is no icon. */
    public static String withIcon(Icon icon, String text, Function<Icon, String> iconText) {
        return icon == null ? text : iconText.apply(icon) + " " + text;
    }

    /** The table with aligned columns; its icons, if any, in a first column as {@code iconText} shows them. */
    public static String table(Message.Table table, Function<Icon, String> iconText) {
        List<String> headers = new ArrayList<>(table.headers());
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < table.rows().size(); r++) {
            List<String> row = new ArrayList<>();
            if (!table.icons().isEmpty()) row.add(iconText.apply(table.icons().get(r)));
            table.rows().get(r).forEach(cell -> row.add(String.valueOf(cell)));
            rows.add(row);
        }
        if (!table.icons().isEmpty()) headers.addFirst("");
        int columns = headers.size();
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) widths[c] = width(headers.get(c));
        for (List<String> row : rows) {
            for (int c = 0; c < Math.min(columns, row.size()); c++) widths[c] = Math.max(widths[c], width(row.get(c)));
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, headers, widths);
        for (List<String> row : rows) {
            out.append('\n');
            appendRow(out, row, widths);
        }
        if (rows.isEmpty()) out.append("\n(no rows)");
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            String cell = c < cells.size() ? cells.get(c) : "";
            line.append(cell);
            if (c < widths.length - 1) line.append(" ".repeat(widths[c] - width(cell) + 2));
        }
        out.append(line.toString().stripTrailing());
    }

    /** Columns a cell takes in monospace: an emoji takes two (Java's emoji properties say which), other characters one. */
    private static int width(String cell) {
        int width = 0;
        for (int i = 0; i < cell.length(); ) {
            int c = cell.codePointAt(i);
            i += Character.charCount(c);
            if (c == EMOJI_PRESENTATION) continue;
            boolean asEmoji = Character.isEmojiPresentation(c)
                    || (Character.isEmoji(c) && i < cell.length() && cell.charAt(i) == EMOJI_PRESENTATION);
            width += asEmoji ? 2 : 1;
        }
        return width;
    }
}
