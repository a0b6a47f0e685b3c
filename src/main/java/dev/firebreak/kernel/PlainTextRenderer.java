package dev.firebreak.kernel;


import java.util.ArrayList;
import java.util.List;

/** Renders a {@link Message} as plain text with aligned tables. */
public final class PlainTextRenderer {

    private PlainTextRenderer() {}

    public static String render(Message message) {
        List<String> parts = new ArrayList<>();
        for (Message.Block block : message.blocks()) {
            parts.add(switch (block) {
                case Message.Heading h -> "*" + h.text() + "*";
                case Message.Paragraph p -> p.text();
                case Message.Fields f -> String.join("\n",
                        f.fields().stream().map(x -> x.label() + ": " + x.value()).toList());
                case Message.Table t -> table(t);
                case Message.Preformatted p -> p.text();
                case Message.Note n -> "_" + n.text() + "_";
            });
        }
        return String.join("\n", parts);
    }

    public static String table(Message.Table table) {
        int columns = table.headers().size();
        int[] widths = new int[columns];
        for (int c = 0; c < columns; c++) widths[c] = table.headers().get(c).length();
        for (List<String> row : table.rows()) {
            for (int c = 0; c < Math.min(columns, row.size()); c++) {
                widths[c] = Math.max(widths[c], String.valueOf(row.get(c)).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, table.headers(), widths);
        for (List<String> row : table.rows()) {
            out.append('\n');
            appendRow(out, row, widths);
        }
        if (table.rows().isEmpty()) out.append("\n(no rows)");
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < widths.length; c++) {
            String cell = c < cells.size() ? String.valueOf(cells.get(c)) : "";
            line.append(cell);
            if (c < widths.length - 1) line.append(" ".repeat(widths[c] - cell.length() + 2));
        }
        out.append(line.toString().stripTrailing());
    }
}
