package dev.firebreak.kernel;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * A platform-neutral message. The engine builds these; each chat adapter renders them
 * (plain text on the console, Block Kit on Slack, embeds on Discord).
 */
public record Message(List<Block> blocks) {

    public Message {
        blocks = List.copyOf(blocks);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(Heading.class), @JsonSubTypes.Type(Paragraph.class), @JsonSubTypes.Type(Fields.class),
            @JsonSubTypes.Type(Table.class), @JsonSubTypes.Type(Preformatted.class), @JsonSubTypes.Type(Note.class)})
    public sealed interface Block permits Heading, Paragraph, Fields, Table, Preformatted, Note {}

    /** A one-line title, shown prominently. */
    public record Heading(String text) implements Block {}

    /** Running text; may use *bold* and `code` (rendered per platform). */
    public record Paragraph(String text) implements Block {}

    /** Label/value pairs such as "Severity: P1". */
    public record Fields(List<Field> fields) implements Block {
        public Fields {
            fields = List.copyOf(fields);
        }
    }

    public record Field(String label, String value) {}

    /** Tabular data such as pods or SQL rows. */
    public record Table(List<String> headers, List<List<String>> rows) implements Block {
        public Table {
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** Text shown verbatim in a monospace block (logs, post-mortem drafts). */
    public record Preformatted(String text) implements Block {}

    /** Small print: hashes, hints, footers. */
    public record Note(String text) implements Block {}

    public static Message text(String text) {
        return new Message(List.of(new Paragraph(text)));
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

        public Builder paragraph(String text) {
            blocks.add(new Paragraph(text));
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

        public Builder preformatted(String text) {
            blocks.add(new Preformatted(text));
            return this;
        }

        public Builder note(String text) {
            blocks.add(new Note(text));
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
