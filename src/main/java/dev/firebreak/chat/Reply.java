package dev.firebreak.chat;

import dev.firebreak.kernel.Message;

/**
 * The direct answer to the person who ran a command. {@code PRIVATE} replies (usage and
 * permission errors, help) are shown only to them; {@code PUBLIC} replies confirm what was
 * posted to the channel. Results themselves are posted to channels by the engine.
 */
public record Reply(Visibility visibility, Message message) {

    public enum Visibility { PRIVATE, PUBLIC }

    public static Reply privately(String text) {
        return new Reply(Visibility.PRIVATE, Message.text(text));
    }

    public static Reply privately(Message message) {
        return new Reply(Visibility.PRIVATE, message);
    }

    public static Reply publicly(String text) {
        return new Reply(Visibility.PUBLIC, Message.text(text));
    }
}
