package dev.firebreak.kernel;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Text on its way out of Firebreak (chat posts, private answers, topics, the console): secrets
 * masked by the {@link Redactor}; control characters removed (BEL, ANSI escape sequences, other C0
 * and C1 controls, and the bidirectional overrides that make text read differently from what it
 * is); and mention syntax defused, so text that came from chat (a title, a service's answer) cannot
 * ping a channel or a person ({@code @everyone}, {@code @here}, {@code <@id>}, {@code <!channel>}).
 * Line breaks and tabs stay.
 */
public final class OutboundText {

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-Z\\\\-_])");
    private static final Pattern BROADCAST = Pattern.compile("@(everyone|here|channel)\\b");
    private static final Pattern MENTION = Pattern.compile("<([@!#])");
    private static final String ZERO_WIDTH_SPACE = "\u200B";

    private OutboundText() {}

    public static String clean(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = withoutControlCharacters(text);
        if (out.indexOf('@') >= 0) out = BROADCAST.matcher(out).replaceAll("@" + ZERO_WIDTH_SPACE + "$1");
        if (out.indexOf('<') >= 0) out = MENTION.matcher(out).replaceAll("<" + ZERO_WIDTH_SPACE + "$1");
        return Redactor.redact(out);
    }

    /** ANSI escape sequences and control characters removed; line breaks and tabs kept. */
    public static String withoutControlCharacters(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = text.indexOf('\u001B') >= 0 ? ANSI_ESCAPE.matcher(text).replaceAll("") : text;
        int first = 0;
        while (first < out.length() && !isControl(out.charAt(first))) first++;
        if (first == out.length()) return out;
        StringBuilder kept = new StringBuilder(out.length()).append(out, 0, first);
        for (int i = first + 1; i < out.length(); i++) {
            char c = out.charAt(i);
            if (!isControl(c)) kept.append(c);
        }
        return kept.toString();
    }

    /** C0 and C1 controls other than line break, carriage return and tab; DEL; and the bidirectional marks and overrides. */
    private static boolean isControl(char c) {
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t'
                || c >= 0x7F && c <= 0x9F
                || c == '\u061C' || c == '\u200E' || c == '\u200F'
                || c >= '\u202A' && c <= '\u202E'
                || c >= '\u2066' && c <= '\u2069';
    }

    /** Every text of the message cleaned. */
    public static Message clean(Message message) {
        return map(message, OutboundText::clean);
    }

    private static Message map(Message message, UnaryOperator<String> f) {
        List<Message.Block> blocks = message.blocks().stream().map(block -> (Message.Block) switch (block) {
            case Message.Heading h -> new Message.Heading(h.icon(), f.apply(h.text()));
            case Message.Paragraph p -> new Message.Paragraph(p.icon(), f.apply(p.text()));
            case Message.Fields fields -> new Message.Fields(fields.fields().stream()
                    .map(x -> new Message.Field(f.apply(x.label()), f.apply(x.value()))).toList());
            case Message.Table t -> new Message.Table(t.headers().stream().map(f).toList(),
                    t.rows().stream().map(row -> row.stream().map(cell -> cell == null ? null : f.apply(cell)).toList()).toList(), t.icons());
            case Message.Preformatted p -> new Message.Preformatted(f.apply(p.text()));
            case Message.Note n -> new Message.Note(f.apply(n.text()));
            case Message.Mentions m -> m;
        }).toList();
        return new Message(blocks);
    }
}
