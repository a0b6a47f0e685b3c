package dev.firebreak.chat.discord;

import java.util.List;

/**
 * One Discord message as the renderer lays it out, within Discord's limits: text content
 * (2,000 characters), up to 10 embeds (6,000 characters together), and text files for output too
 * long to show inline.
 */
record DiscordPost(String content, List<Embed> embeds, List<Attachment> files) {

    DiscordPost {
        embeds = List.copyOf(embeds);
        files = List.copyOf(files);
    }

    record Embed(String title, String description, List<EmbedField> fields) {
        Embed {
            fields = List.copyOf(fields);
        }

        int size() {
            int size = (title == null ? 0 : title.length()) + (description == null ? 0 : description.length());
            for (EmbedField field : fields) size += field.name().length() + field.value().length();
            return size;
        }
    }

    record EmbedField(String name, String value, boolean inline) {}

    record Attachment(String fileName, String text) {}
}
