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

/** Builds JDA message data from a rendered {@link DiscordPost}. Only user mentions notify; never @everyone or roles. */
final class DiscordMessages {

    private static final Color FIREBREAK_ORANGE = new Color(0xE8590C);

    private DiscordMessages() {}

    static MessageCreateData toCreateData(DiscordPost post) {
        MessageCreateBuilder builder = new MessageCreateBuilder()
                .setAllowedMentions(EnumSet.of(MentionType.USER));
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
