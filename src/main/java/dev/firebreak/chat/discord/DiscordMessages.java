package dev.firebreak.chat.discord;

import net.dv8tion.jda.api.EmbedBuilder;
import net.dv8tion.jda.api.entities.Message.MentionType;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;

import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Builds JDA message data from a rendered {@link DiscordPost}. Only user mentions notify; never @everyone or roles. */
final class DiscordMessages {

    private static final Color FIREBREAK_ORANGE = new Color(0xE8590C);

    private DiscordMessages() {}

    private static final Pattern USER_MENTION = Pattern.compile("<@!?(\\d{15,20})>");

    static MessageCreateData toCreateData(DiscordPost post) {
        return toCreateData(post, Set.of());
    }

    /** As {@link #toCreateData(DiscordPost)}, but mentions of {@code silent} users show without notifying them. */
    static MessageCreateData toCreateData(DiscordPost post, Set<String> silent) {
        MessageCreateBuilder builder = new MessageCreateBuilder();
        if (silent.isEmpty()) {
            builder.setAllowedMentions(EnumSet.of(MentionType.USER));
        } else {
            builder.setAllowedMentions(EnumSet.noneOf(MentionType.class));
            USER_MENTION.matcher(post.content()).results().map(m -> m.group(1))
                    .filter(id -> !silent.contains(id)).distinct().forEach(builder::mentionUsers);
        }
        if (!post.content().isEmpty()) builder.setContent(post.content());
        builder.setEmbeds(post.embeds().stream().map(DiscordMessages::embed).toList());
        builder.setFiles(post.files().stream()
                .map(file -> FileUpload.fromData(file.text().getBytes(StandardCharsets.UTF_8), file.fileName()))
                .toList());
        return builder.build();
    }

    private static MessageEmbed embed(DiscordPost.Embed embed) {
        EmbedBuilder builder = new EmbedBuilder().setColor(FIREBREAK_ORANGE);
        if (embed.title() != null) builder.setTitle(embed.title());
        if (embed.description() != null) builder.setDescription(embed.description());
        embed.fields().forEach(field -> builder.addField(field.name(), field.value(), field.inline()));
        return builder.build();
    }
}
