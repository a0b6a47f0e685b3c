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
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]");
    private static final Pattern BROADCAST = Pattern.compile("@(everyone|here|channel)\\b");
    private static final Pattern MENTION = Pattern.compile("<([@!#])");
    private static final String ZERO_WIDTH_SPACE = "\u200B";

    private OutboundText() {}

    public static String clean(String text) {
        if (text == null || text.isEmpty()) return text;
        String out = withoutControlCharacters(text);
        out = BROADCAST.matcher(out).replaceAll("@" + ZERO_WIDTH_SPACE + "$1");
        out = MENTION.matcher(out).replaceAll("<" + ZERO_WIDTH_SPACE + "$1");
        return Redactor.redact(out);
    }

    /** ANSI escape sequences and control characters removed; line breaks and tabs kept. */
    public static String withoutControlCharacters(String text) {
        if (text == null || text.isEmpty()) return text;
        return CONTROL.matcher(ANSI_ESCAPE.matcher(text).replaceAll("")).replaceAll("");
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
