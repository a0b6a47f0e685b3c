package dev.firebreak.chat.console;

import dev.firebreak.chat.ChatAdapter;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.chat.Reply;
import dev.firebreak.kernel.OutboundText;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the engine from lines of text, interactively or from a pipe. A line is
 * {@code [USER[ #CHANNEL]> ]TEXT}; TEXT is a slash command, {@code react EMOJI REF},
 * {@code unreact EMOJI REF}, or a plain message. REF is a message the bot posted ({@code m12}) or a
 * plain message typed since the console started, numbered in order ({@code u1}, {@code u2}, ...), so
 * {@code react pushpin u1} pins it to the incident's timeline. Each person has a current channel (initially
 * the incidents channel) that naming a channel changes. Lines run one at a time, and the
 * messages they cause are delivered before the next line is read. A line that fails (the store
 * is down while it runs) is answered with what went wrong, and the console reads on.
 */
public final class ConsoleAdapter implements ChatAdapter {

    private static final Pattern LINE = Pattern.compile("^(?:([A-Za-z0-9_.-]+)(?:\\s+#([A-Za-z0-9_.-]+))?>\\s*)?(.*)$");
    private static final Pattern REACTION = Pattern.compile("^(react|unreact)\\s+(\\S+)\\s+([mu]\\d{1,18})$");

    private final ConsolePlatform platform;
    private final InputStream in;
    private final PrintStream out;
    private final String defaultChannel;
    private final Runnable deliverPending;
    private final boolean echo;
    private final Map<String, String> currentChannel = new HashMap<>();
    private String currentUser;
    private long messageCounter;

    /**
     * @param deliverPending delivers what the last line queued (the outbox), so output follows input
     * @param defaultUser    who types when a line names nobody
     */
    public ConsoleAdapter(ConsolePlatform platform, InputStream in, PrintStream out, String defaultChannel,
                          String defaultUser, Runnable deliverPending, boolean echo) {
        this.platform = platform;
        this.in = in;
        this.out = out;
        this.defaultChannel = defaultChannel;
        this.currentUser = defaultUser;
        this.deliverPending = deliverPending;
        this.echo = echo;
    }

    @Override
    public ChatPlatform platform() {
        return platform;
    }

    /** Reads lines until end of input; returns when everything they caused has been delivered. */
    @Override
    public void start(InboundListener listener) {
        deliver();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.stripLeading().startsWith("#!")) continue;
                try {
                    handle(line.strip(), listener);
                } catch (RuntimeException e) {
                    out.println("[console] that line could not be handled: " + e.getMessage() + ". Reading on.");
                }
                deliver();
            }
        } catch (IOException e) {
            out.println("console input failed: " + e.getMessage());
        }
        deliver();
    }

    private void deliver() {
        try {
            deliverPending.run();
        } catch (RuntimeException e) {
            out.println("[console] queued messages could not be delivered yet: " + e.getMessage()
                    + ". They go out once it works again. Reading on.");
        }
    }

    private void handle(String line, InboundListener listener) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) return;
        if (m.group(1) != null) currentUser = m.group(1);
        String user = currentUser;
        if (m.group(2) != null) currentChannel.put(user, m.group(2));
        String channel = currentChannel.getOrDefault(user, defaultChannel);
        String text = m.group(3).strip();
        if (echo) out.println(user + " #" + channel + "> " + OutboundText.withoutControlCharacters(text));

        Matcher reaction = REACTION.matcher(text);
        if (reaction.matches()) {
            boolean added = reaction.group(1).equals("react");
            String ref = reaction.group(3);
            if (ref.startsWith("m") && Long.parseLong(ref.substring(1)) > platform.lastRef()) {
                platform.postPrivately(channel, user, dev.firebreak.kernel.Message.text("There is no message " + ref
                        + " yet; the console has posted m1 to m" + platform.lastRef() + "."));
                return;
            }
            // A bot message is on the channel it was posted in (unknown after a restart: console refs are unique
            // on their own); a typed message (u1, u2, ...) is in the channel it was typed in.
            String inChannel = ref.startsWith("m") ? platform.channelOf(ref) : channel;
            platform.recordReaction(ref, reaction.group(2), user, added);
            listener.onReaction(new Inbound.Reaction("console", user, inChannel, ref, reaction.group(2), added));
        } else if (text.startsWith("/")) {
            Reply reply = listener.onCommand(new Inbound.Command("console", user, channel, text));
            if (reply.visibility() == Reply.Visibility.PRIVATE) {
                platform.postPrivately(channel, user, reply.message());
            }
        } else if (!text.isEmpty()) {
            listener.onMessage(new Inbound.ChannelMessage("console", user, channel, "u" + (++messageCounter), text));
        }
    }

    @Override
    public void stopReceiving() {
        // the caller stops reading its input
    }

    @Override
    public void close() {
        // nothing to release: the streams belong to the caller
    }
}
