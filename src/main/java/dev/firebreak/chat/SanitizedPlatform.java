package dev.firebreak.chat;

import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.OutboundText;

import java.util.List;
import java.util.Optional;

/**
 * A chat platform as the engine uses it: every text on its way out (posts, private answers,
 * topics) is cleaned by {@link OutboundText} first, whichever feature wrote it, so no secret,
 * control character or mention reaches a person however it got into the text.
 */
public final class SanitizedPlatform implements ChatPlatform {

    private final ChatPlatform platform;

    private SanitizedPlatform(ChatPlatform platform) {
        this.platform = platform;
    }

    public static ChatPlatform of(ChatPlatform platform) {
        return platform instanceof SanitizedPlatform ? platform : new SanitizedPlatform(platform);
    }

    @Override
    public String name() {
        return platform.name();
    }

    @Override
    public Channel channelNamed(String name) {
        return platform.channelNamed(name);
    }

    @Override
    public Channel createChannel(String name, boolean restricted) {
        return platform.createChannel(OutboundText.clean(name), restricted);
    }

    @Override
    public void invite(String channelId, List<String> userIds) {
        platform.invite(channelId, userIds);
    }

    @Override
    public String post(String channelId, Message message) {
        return platform.post(channelId, OutboundText.clean(message));
    }

    @Override
    public boolean postsInParallel() {
        return platform.postsInParallel();
    }

    @Override
    public int partCount(Message message) {
        return platform.partCount(OutboundText.clean(message));
    }

    @Override
    public boolean fitsOnePost(Message message) {
        return platform.fitsOnePost(OutboundText.clean(message));
    }

    @Override
    public String postPart(String channelId, Message message, Part part) {
        return platform.postPart(channelId, OutboundText.clean(message), part);
    }

    @Override
    public Optional<String> findPosted(String channelId, Part part) {
        return platform.findPosted(channelId, part);
    }

    @Override
    public Optional<String> channelLink(String channelId) {
        return platform.channelLink(channelId);
    }

    @Override
    public void edit(String channelId, String messageId, Message message) {
        platform.edit(channelId, messageId, OutboundText.clean(message));
    }

    @Override
    public void postPrivately(String channelId, String userId, Message message) {
        platform.postPrivately(channelId, userId, OutboundText.clean(message));
    }

    @Override
    public void setTopic(String channelId, String topic) {
        platform.setTopic(channelId, OutboundText.clean(topic));
    }

    @Override
    public void pin(String channelId, String messageId) {
        platform.pin(channelId, messageId);
    }

    @Override
    public void react(String channelId, String messageId, String emoji) {
        platform.react(channelId, messageId, emoji);
    }

    @Override
    public List<ReactionSnapshot> reactions(String channelId, String messageId) {
        return platform.reactions(channelId, messageId);
    }
}
