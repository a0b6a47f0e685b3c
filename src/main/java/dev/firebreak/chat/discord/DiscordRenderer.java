package dev.firebreak.chat.discord;

import dev.firebreak.kernel.Emoji;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.PlainTextRenderer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Renders a neutral {@link Message} for Discord. Messages with a heading or fields become embeds;
 * others become plain text. Icons, and the emoji shortcodes Discord does not read from a bot
 * ({@code :warning:}), are shown as Unicode emoji. Every Discord limit is respected by splitting
 * into more messages or embeds, and verbatim blocks too long to show inline are attached as text
 * files; nothing is cut.
 */
final class DiscordRenderer {

    static final int CONTENT_LIMIT = 2000;
    static final int TITLE_LIMIT = 256;
    static final int DESCRIPTION_LIMIT = 4096;
    static final int FIELDS_LIMIT = 25;
    static final int FIELD_NAME_LIMIT = 256;
    static final int FIELD_VALUE_LIMIT = 1024;
    static final int EMBED_TOTAL_LIMIT = 6000;
    static final int EMBEDS_PER_MESSAGE = 10;
    static final int FILES_PER_MESSAGE = 10;
    private static final int INLINE_FIELD_WIDTH = 40;
    private static final Pattern SLACK_BOLD = Pattern.compile("(?<![*\\w])\\*([^*\\n]+)\\*(?![*\\w])");

    List<DiscordPost> render(Message message) {
        boolean embed = message.blocks().stream()
                .anyMatch(b -> b instanceof Message.Heading || b instanceof Message.Fields);
        return embed ? new EmbedLayout().layout(message) : new TextLayout().layout(message);
    }

    /** Slack-style {@code *bold*} becomes Discord's {@code **bold**}; {@code `code`} and {@code _italic_} stay. */
    static String markdown(String text) {
        return SLACK_BOLD.matcher(text).replaceAll("**$1**");
    }

    /** A heading's or paragraph's text with its icon in front; icon and shortcodes as Unicode. */
    static String withIcon(Icon icon, String text) {
        return PlainTextRenderer.withIcon(icon, Emoji.shortcodesAsUnicode(text), Icon::unicode);
    }

    static String table(Message.Table table) {
        return PlainTextRenderer.table(table, Icon::unicode);
    }

    static String note(String text) {
        return "-# " + Emoji.shortcodesAsUnicode(text).replace("\n", "\n-# ");
    }

    static String codeBlock(String text) {
        return "```\n" + text.replace("```", "`\u200b``") + "\n```";
    }

    /** Mentions notify only from a message's content: {@code <@id>} for each person. */
    static String mentions(Message.Mentions mentions) {
        return String.join(" ", mentions.userIds().stream().map(id -> "<@" + id + ">").toList());
    }

    static String attachedNote(String fileName, String text) {
        long lines = text.lines().count();
        return "-# Full output attached as " + fileName + " (" + lines + (lines == 1 ? " line, " : " lines, ")
                + text.length() + " characters)";
    }

    /** Plain-text layout: lines packed into messages of at most 2,000 characters. */
    private static final class TextLayout {
        private final List<DiscordPost> posts = new ArrayList<>();
        private StringBuilder content = new StringBuilder();
        private List<DiscordPost.Attachment> files = new ArrayList<>();
        private int fileCount;

        List<DiscordPost> layout(Message message) {
            for (Message.Block block : message.blocks()) {
                switch (block) {
                    case Message.Paragraph p -> add(markdown(withIcon(p.icon(), p.text())));
                    case Message.Mentions m -> add(mentions(m));
                    case Message.Note n -> add(note(n.text()));
                    case Message.Preformatted p -> verbatim(p.text(), "output");
                    case Message.Table t -> verbatim(table(t), "table");
                    case Message.Heading h -> add("**" + withIcon(h.icon(), h.text()) + "**");
                    case Message.Fields f -> f.fields().forEach(x -> add("**" + x.label() + ":** "
                            + Emoji.shortcodesAsUnicode(x.value())));
                }
            }
            flush();
            return posts;
        }

        private void verbatim(String text, String kind) {
            String block = codeBlock(text);
            if (block.length() <= CONTENT_LIMIT) {
                add(block);
                return;
            }
            String fileName = kind + "-" + (++fileCount) + ".txt";
            if (files.size() == FILES_PER_MESSAGE) flush();
            files.add(new DiscordPost.Attachment(fileName, text));
            add(attachedNote(fileName, text));
        }

        /** Appends text, filling the current message before starting the next one. */
        private void add(String text) {
            String rest = text;
            while (true) {
                int room = CONTENT_LIMIT - content.length() - (content.isEmpty() ? 0 : 1);
                if (rest.length() <= room) {
                    append(rest);
                    return;
                }
                if (room < CONTENT_LIMIT / 4) {
                    flush();
                    continue;
                }
                TextChunks.Cut cut = TextChunks.cut(rest, room);
                append(cut.head());
                flush();
                rest = cut.rest();
            }
        }

        private void append(String piece) {
            if (!content.isEmpty()) content.append('\n');
            content.append(piece);
        }

        private void flush() {
            if (content.isEmpty() && files.isEmpty()) return;
            posts.add(new DiscordPost(content.toString(), List.of(), files));
            content = new StringBuilder();
            files = new ArrayList<>();
        }
    }

    /** Embed layout: blocks in order, a new embed when order or a limit requires, a new message past 10 embeds or 6,000 characters. */
    private static final class EmbedLayout {
        private final List<DiscordPost> posts = new ArrayList<>();
        private List<DiscordPost.Embed> embeds = new ArrayList<>();
        private List<DiscordPost.Attachment> files = new ArrayList<>();
        private int postSize;
        private String title;
        /** Mentions notify only in a message's content, never inside an embed. */
        private String content = "";
        private StringBuilder description = new StringBuilder();
        private List<DiscordPost.EmbedField> fields = new ArrayList<>();
        private int fileCount;

        List<DiscordPost> layout(Message message) {
            for (Message.Block block : message.blocks()) {
                switch (block) {
                    case Message.Heading h -> heading(withIcon(h.icon(), h.text()));
                    case Message.Paragraph p -> text(markdown(withIcon(p.icon(), p.text())));
                    case Message.Mentions m -> content = (content + " " + mentions(m)).strip();
                    case Message.Note n -> text(note(n.text()));
                    case Message.Preformatted p -> verbatim(p.text(), "output");
                    case Message.Table t -> verbatim(table(t), "table");
                    case Message.Fields f -> f.fields().forEach(this::field);
                }
            }
            flushPost();
            return posts;
        }

        private boolean embedEmpty() {
            return title == null && description.isEmpty() && fields.isEmpty();
        }

        private int embedSize() {
            return new DiscordPost.Embed(title, description.toString(), fields).size();
        }

        private void heading(String text) {
            if (text.length() > TITLE_LIMIT) {
                text("**" + text + "**");
                return;
            }
            if (!embedEmpty()) flushEmbed();
            ensureRoom(text.length());
            title = text;
        }

        private void text(String text) {
            if (!fields.isEmpty()) flushEmbed();
            String rest = text;
            while (true) {
                int separator = description.isEmpty() ? 0 : 1;
                int room = Math.min(DESCRIPTION_LIMIT - description.length(),
                        EMBED_TOTAL_LIMIT - postSize - embedSize()) - separator;
                if (rest.length() <= room) {
                    appendDescription(rest);
                    return;
                }
                if (room < DESCRIPTION_LIMIT / 4) {
                    if (DESCRIPTION_LIMIT - description.length() - separator < DESCRIPTION_LIMIT / 4) flushEmbed();
                    else flushPost();
                    continue;
                }
                TextChunks.Cut cut = TextChunks.cut(rest, room);
                appendDescription(cut.head());
                flushEmbed();
                rest = cut.rest();
            }
        }

        private void appendDescription(String piece) {
            if (!description.isEmpty()) description.append('\n');
            description.append(piece);
        }

        private void verbatim(String text, String kind) {
            String block = codeBlock(text);
            if (block.length() <= DESCRIPTION_LIMIT) {
                text(block);
                return;
            }
            String fileName = kind + "-" + (++fileCount) + ".txt";
            if (files.size() == FILES_PER_MESSAGE) flushPost();
            text(attachedNote(fileName, text));
            files.add(new DiscordPost.Attachment(fileName, text));
        }

        private void field(Message.Field field) {
            String name = field.label().isBlank() ? "\u200b" : field.label();
            String value = field.value() == null || field.value().isBlank() ? "-" : Emoji.shortcodesAsUnicode(field.value());
            if (name.length() > FIELD_NAME_LIMIT || value.length() > FIELD_VALUE_LIMIT) {
                text("**" + field.label() + "**\n" + value);
                return;
            }
            if (fields.size() == FIELDS_LIMIT) flushEmbed();
            ensureRoom(name.length() + value.length());
            fields.add(new DiscordPost.EmbedField(name, value,
                    value.length() <= INLINE_FIELD_WIDTH && !value.contains("\n")));
        }

        /** Starts a new message if the current one cannot take {@code size} more embed characters. */
        private void ensureRoom(int size) {
            if (postSize + embedSize() + size <= EMBED_TOTAL_LIMIT) return;
            flushPost();
        }

        private void flushEmbed() {
            if (embedEmpty()) return;
            if (embeds.size() == EMBEDS_PER_MESSAGE) flushPostKeepingEmbed();
            DiscordPost.Embed embed = new DiscordPost.Embed(title, description.isEmpty() ? null : description.toString(), fields);
            embeds.add(embed);
            postSize += embed.size();
            title = null;
            description = new StringBuilder();
            fields = new ArrayList<>();
        }

        private void flushPostKeepingEmbed() {
            posts.add(new DiscordPost(content, embeds, files));
            content = "";
            embeds = new ArrayList<>();
            files = new ArrayList<>();
            postSize = 0;
        }

        private void flushPost() {
            flushEmbed();
            if (embeds.isEmpty() && files.isEmpty() && content.isEmpty()) return;
            flushPostKeepingEmbed();
        }
    }
}
