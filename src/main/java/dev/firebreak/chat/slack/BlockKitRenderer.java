package dev.firebreak.chat.slack;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.util.json.GsonFactory;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.PlainTextRenderer;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a neutral {@link Message} as Slack Block Kit within Slack's limits: headers of 150
 * characters, sections of 3,000, fields of 2,000 and ten to a section, 50 blocks a message. Text
 * is escaped ({@code & < >}), in the blocks and in the notification (fallback) text alike, so chat
 * input cannot smuggle in {@code <!channel>} mentions or links.
 * Content cut to fit marks the result {@link Rendered#truncated()}; the caller then puts the full
 * text in the thread. Icons are the emoji's {@code :name:}, except in monospace blocks, where
 * Slack shows names as typed, so there they are Unicode.
 */
final class BlockKitRenderer {

    static final int HEADER_LIMIT = 150;
    static final int SECTION_LIMIT = 3000;
    static final int FIELD_LIMIT = 2000;
    static final int FIELDS_PER_SECTION = 10;
    static final int BLOCK_LIMIT = 50;
    static final int FALLBACK_LIMIT = 3000;

    /**
     * Blocks ready for chat.postMessage, the notification text, whether anything in the blocks was
     * cut, and whether the notification text was.
     */
    record Rendered(List<LayoutBlock> blocks, String fallbackText, boolean truncated, boolean fallbackCut) {
        String blocksJson() {
            return GsonFactory.createSnakeCase().toJson(blocks);
        }
    }

    private BlockKitRenderer() {}

    static Rendered render(Message message) {
        List<LayoutBlock> blocks = new ArrayList<>();
        boolean truncated = false;
        for (Message.Block block : message.blocks()) {
            switch (block) {
                case Message.Heading h -> {
                    String text = h.text().isBlank() && h.icon() == null ? " " : withIcon(h.icon(), h.text());
                    truncated |= text.length() > HEADER_LIMIT;
                    blocks.add(HeaderBlock.builder()
                            .text(PlainTextObject.builder().text(cut(text, HEADER_LIMIT)).emoji(true).build())
                            .build());
                }
                case Message.Paragraph p -> {
                    if (p.text().isBlank() && p.icon() == null) continue;
                    String text = escape(withIcon(p.icon(), p.text()));
                    truncated |= text.length() > SECTION_LIMIT;
                    blocks.add(section(cut(text, SECTION_LIMIT)));
                }
                case Message.Fields f -> {
                    List<TextObject> fields = new ArrayList<>();
                    for (Message.Field field : f.fields()) {
                        String text = "*" + escape(field.label()) + "*\n" + escape(field.value());
                        truncated |= text.length() > FIELD_LIMIT;
                        fields.add(MarkdownTextObject.builder().text(cut(text, FIELD_LIMIT)).build());
                        if (fields.size() == FIELDS_PER_SECTION) {
                            blocks.add(SectionBlock.builder().fields(fields).build());
                            fields = new ArrayList<>();
                        }
                    }
                    if (!fields.isEmpty()) blocks.add(SectionBlock.builder().fields(fields).build());
                }
                case Message.Table t -> {
                    String text = PlainTextRenderer.table(t, Icon::unicode);
                    truncated |= codeLength(text) > SECTION_LIMIT;
                    blocks.add(section(code(text)));
                }
                case Message.Preformatted p -> {
                    if (p.text().isBlank()) continue;
                    truncated |= codeLength(p.text()) > SECTION_LIMIT;
                    blocks.add(section(code(p.text())));
                }
                case Message.Mentions m -> blocks.add(section(String.join(" ", m.userIds().stream().map(id -> "<@" + id + ">").toList())));
                case Message.Note n -> {
                    if (n.text().isBlank()) continue;
                    String text = escape(n.text());
                    truncated |= text.length() > SECTION_LIMIT;
                    List<ContextBlockElement> elements =
                            List.of(MarkdownTextObject.builder().text(cut(text, SECTION_LIMIT)).build());
                    blocks.add(ContextBlock.builder().elements(elements).build());
                }
            }
        }
        if (blocks.size() > BLOCK_LIMIT) {
            int dropped = blocks.size() - (BLOCK_LIMIT - 1);
            blocks = new ArrayList<>(blocks.subList(0, BLOCK_LIMIT - 1));
            blocks.add(note("… " + dropped + " more blocks not shown"));
            truncated = true;
        }
        // the notification text mentions the same people as the blocks, as live mentions
        List<String> mentioned = message.blocks().stream().filter(b -> b instanceof Message.Mentions)
                .flatMap(b -> ((Message.Mentions) b).userIds().stream()).map(id -> "<@" + id + ">").toList();
        Message unmentioned = new Message(message.blocks().stream().filter(b -> !(b instanceof Message.Mentions)).toList());
        String whole = escape(PlainTextRenderer.render(unmentioned, BlockKitRenderer::emoji));
        String fallback = cut(whole, FALLBACK_LIMIT);
        return new Rendered(List.copyOf(blocks), mentioned.isEmpty() ? fallback : fallback + "\n" + String.join(" ", mentioned),
                truncated, whole.length() > FALLBACK_LIMIT);
    }

    /** Slack shows an icon as its emoji's {@code :name:}. */
    static String emoji(Icon icon) {
        return ":" + icon.emoji() + ":";
    }

    private static String withIcon(Icon icon, String text) {
        return PlainTextRenderer.withIcon(icon, text, BlockKitRenderer::emoji);
    }

    /** The whole message as text for a monospace block (the full text of a shortened message). */
    static String fullText(Message message) {
        return PlainTextRenderer.render(message, Icon::unicode);
    }

    /**
     * For a message only one person sees (ephemeral messages have no threads): when cut, a last
     * line says how much of it is not shown.
     */
    static Rendered renderPrivate(Message message) {
        Rendered rendered = render(message);
        if (!rendered.truncated()) return rendered;
        List<LayoutBlock> blocks = new ArrayList<>(rendered.blocks());
        if (blocks.size() == BLOCK_LIMIT) blocks.removeLast();
        blocks.add(note("Shortened to fit in Slack (the full text is " + fullText(message).length() + " characters)."));
        return new Rendered(List.copyOf(blocks), rendered.fallbackText(), true, rendered.fallbackCut());
    }

    static LayoutBlock note(String text) {
        List<ContextBlockElement> elements = List.of(MarkdownTextObject.builder().text(escape(text)).build());
        return ContextBlock.builder().elements(elements).build();
    }

    private static final java.util.regex.Pattern USER_MENTION = java.util.regex.Pattern.compile("&lt;@([UW][A-Z0-9]{2,20})&gt;");

    /**
     * Slack mrkdwn escaping: the three characters Slack uses for mentions, links and entities.
     * Mentions of one person ({@code <@U123>}) stay live; {@code <!channel>}, {@code <!here>} and
     * links do not.
     */
    static String escape(String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return USER_MENTION.matcher(escaped).replaceAll("<@$1>");
    }

    /** A monospace block that fits one section, cut at a line boundary where possible. */
    static String code(String raw) {
        String body = escape(raw).replace("```", "`\u200b``");
        int room = SECTION_LIMIT - 8;
        if (body.length() > room) {
            int omitted = body.length();
            String marker = "\n… output truncated";
            String kept = body.substring(0, room - marker.length() - 24);
            int lastLine = kept.lastIndexOf('\n');
            if (lastLine > room / 2) kept = kept.substring(0, lastLine);
            omitted -= kept.length();
            body = kept + marker + " (" + omitted + " more characters)";
        }
        return "```\n" + body + "\n```";
    }

    private static int codeLength(String raw) {
        return escape(raw).length() + 8;
    }

    private static SectionBlock section(String mrkdwn) {
        return SectionBlock.builder().text(MarkdownTextObject.builder().text(mrkdwn).build()).build();
    }

    static String cut(String text, int limit) {
        if (text.length() <= limit) return text;
        return text.substring(0, limit - 1) + "…";
    }
}
