package dev.firebreak.kernel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * A platform-neutral message. The engine builds these; each chat adapter renders them
 * (plain text on the console, Block Kit on Slack, embeds on Discord), icons included.
 */
public record Message(List<Block> blocks) {

    public Message {
        blocks = List.copyOf(blocks);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(Heading.class), @JsonSubTypes.Type(Paragraph.class), @JsonSubTypes.Type(Fields.class),
            @JsonSubTypes.Type(Table.class), @JsonSubTypes.Type(Preformatted.class), @JsonSubTypes.Type(Note.class),
            @JsonSubTypes.Type(Mentions.class)})
    public sealed interface Block permits Heading, Paragraph, Fields, Table, Preformatted, Note, Mentions {}

    /** A one-line title, shown prominently, with an icon in front of it or none ({@code null}). */
    public record Heading(@JsonInclude(JsonInclude.Include.NON_NULL) Icon icon, String text) implements Block {
        public Heading(String text) {
            this(null, text);
        }
    }

    /**
     * Running text; may use *bold*, `code` and emoji shortcodes ({@code :fire:}), rendered per
     * platform; with an icon in front of it or none ({@code null}).
     */
    public record Paragraph(@JsonInclude(JsonInclude.Include.NON_NULL) Icon icon, String text) implements Block {
        public Paragraph(String text) {
            this(null, text);
        }
    }

    /** Label/value pairs such as "Severity: P1". */
    public record Fields(List<Field> fields) implements Block {
        public Fields {
            fields = List.copyOf(fields);
        }
    }

    public record Field(String label, String value) {}

    /**
     * Tabular data such as pods or SQL rows. {@code icons}, one per row, are shown in a first
     * column of their own (a check's status next to its name); a table without them leaves the
     * list empty.
     */
    public record Table(List<String> headers, List<List<String>> rows,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Icon> icons) implements Block {
        public Table {
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
            icons = icons == null ? List.of() : List.copyOf(icons);
            if (!icons.isEmpty() && icons.size() != rows.size()) {
                throw new IllegalArgumentException(icons.size() + " icons for " + rows.size() + " rows; give one per row or none");
            }
        }

        public Table(List<String> headers, List<List<String>> rows) {
            this(headers, rows, List.of());
        }
    }

    /** Text shown verbatim in a monospace block (logs, post-mortem drafts). */
    public record Preformatted(String text) implements Block {}

    /** Small print: hashes, hints, footers. */
    public record Note(String text) implements Block {}

    /**
     * People to notify, by their immutable ids on the platform the message is posted to: the one
     * way a message mentions someone (text from anywhere else has its mentions defused). Each id is
     * letters, digits, '-', '_' or '.', so a mention cannot carry text.
     */
    public record Mentions(List<String> userIds) implements Block {
        private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

        public Mentions {
            userIds = List.copyOf(userIds);
            for (String id : userIds) {
                if (!ID.matcher(id).matches()) throw new IllegalArgumentException("not a platform user id: " + id);
            }
        }
    }

    public static Message text(String text) {
        return new Message(List.of(new Paragraph(text)));
    }

    public static Message text(Icon icon, String text) {
        return new Message(List.of(new Paragraph(icon, text)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The message as plain text, the way the console and logs show it. */
    public String plainText() {
        return PlainTextRenderer.render(this);
    }

    public static final class Builder {
        private final List<Block> blocks = new ArrayList<>();

        public Builder heading(String text) {
            blocks.add(new Heading(text));
            return this;
        }

        public Builder heading(Icon icon, String text) {
            blocks.add(new Heading(icon, text));
            return this;
        }

        public Builder paragraph(String text) {
            blocks.add(new Paragraph(text));
            return this;
        }

        public Builder paragraph(Icon icon, String text) {
            blocks.add(new Paragraph(icon, text));
            return this;
        }

        public Builder fields(List<Field> fields) {
            if (!fields.isEmpty()) blocks.add(new Fields(fields));
            return this;
        }

        public Builder field(String label, String value) {
            return fields(List.of(new Field(label, value)));
        }

        public Builder table(List<String> headers, List<List<String>> rows) {
            blocks.add(new Table(headers, rows));
            return this;
        }

        /** A table whose rows each start with an icon ({@code icons.get(i)} for {@code rows.get(i)}). */
        public Builder table(List<String> headers, List<List<String>> rows, List<Icon> icons) {
            blocks.add(new Table(headers, rows, icons));
            return this;
        }

        public Builder preformatted(String text) {
            blocks.add(new Preformatted(text));
            return this;
        }

        public Builder note(String text) {
            blocks.add(new Note(text));
            return this;
        }

        /** Notifies these people (platform user ids); nothing when the list is empty. */
        public Builder mentions(List<String> userIds) {
            if (!userIds.isEmpty()) blocks.add(new Mentions(userIds));
            return this;
        }

        public Builder append(Message other) {
            blocks.addAll(other.blocks());
            return this;
        }

        public Message build() {
            return new Message(blocks);
        }
    }
}
