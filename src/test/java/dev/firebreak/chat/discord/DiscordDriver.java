package dev.firebreak.chat.discord;

import dev.firebreak.chat.SlashCommand;
import dev.firebreak.chat.CommandCatalog;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives Firebreak on the fake Discord the way a person would: types a command line, which becomes
 * the slash command Discord would send (options by name, from the same specs the bot registered),
 * and reads back what the person and the channel see. Meant for the cross-platform contract suite.
 */
public final class DiscordDriver {

    private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"|(\\S+)");
    private static final Pattern INCIDENT = Pattern.compile("(?i)INC-\\d{1,9}");

    private final FakeDiscord discord;
    private final Map<String, SlashCommand> specs = new LinkedHashMap<>();

    DiscordDriver(FakeDiscord discord, CommandCatalog commands) {
        this.discord = discord;
        commands.commands().forEach(spec -> this.specs.put(spec.name(), spec));
    }

    /** A slash command as a person fills it in: command, subcommand ({@code "group sub"} inside a group), options by name. */
    public record Interaction(String command, String subcommand, Map<String, Object> options) {}

    /** Sends {@code line} (e.g. {@code /incident declare P1 RPC latency high}) as a slash command; returns the interaction id. */
    String run(String userId, String channelId, String line) {
        Interaction interaction = interactionFor(specs, line);
        return discord.interaction(userId, channelId, interaction.command(), interaction.subcommand(), interaction.options());
    }

    /**
     * The slash command a person fills in for {@code line}, from the specs the bot registered:
     * the subcommand (in its group, if any), an incident, flags, named numbers, then the arguments by name.
     */
    public static Interaction interactionFor(Map<String, SlashCommand> specs, String line) {
        List<String[]> tokens = tokens(line.strip());
        String name = tokens.getFirst()[0].substring(1);
        SlashCommand spec = specs.get(name);
        if (spec == null) throw new IllegalArgumentException("Discord has no slash command /" + name + " registered");
        int next = 1;
        SlashCommand.Subcommand sub = spec.subcommands().stream().filter(s -> s.name().isEmpty()).findFirst().orElse(null);
        if (sub == null) {
            String wanted = next < tokens.size() ? tokens.get(next++)[0] : "";
            sub = spec.subcommands().stream().filter(s -> s.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("Discord offers no subcommand /" + name + " " + wanted));
        }
        Map<String, Object> options = new LinkedHashMap<>();
        if (sub.incidentScoped() && next < tokens.size() && INCIDENT.matcher(tokens.get(next)[0]).matches()) {
            options.put(SlashCommands.INCIDENT_OPTION, tokens.get(next++)[0]);
        }
        while (next < tokens.size() && tokens.get(next)[0].startsWith("--")) {
            options.put(tokens.get(next++)[0].substring(2), true);
        }
        // a named number (--page 2) is its own field in Discord's form, wherever it was typed
        for (SlashCommand.Option named : sub.options()) {
            if (named.type() != SlashCommand.OptionType.NAMED_INT) continue;
            for (int i = next; i + 1 < tokens.size(); i++) {
                if (!tokens.get(i)[0].equals("--" + named.name())) continue;
                options.put(named.name(), Long.parseLong(tokens.get(i + 1)[0]));
                tokens.remove(i + 1);
                tokens.remove(i);
                break;
            }
        }
        for (SlashCommand.Option arg : sub.options()) {
            if (SlashCommand.named(arg.type()) || next >= tokens.size()) continue;
            switch (arg.type()) {
                case TEXT -> {
                    options.put(arg.name(), line.strip().substring(Integer.parseInt(tokens.get(next)[1])).strip());
                    next = tokens.size();
                }
                case INT -> options.put(arg.name(), Long.parseLong(tokens.get(next++)[0]));
                default -> options.put(arg.name(), tokens.get(next++)[0]);
            }
        }
        String subcommand = sub.name().isEmpty() ? null : sub.group() == null ? sub.name() : sub.group() + " " + sub.name();
        return new Interaction(name, subcommand, options);
    }

    /** What the person sees as the answer: the private reply, or the public post when the reply went to the channel. */
    String answer(String interactionId, String channelId, Duration timeout) {
        String token = "token-" + interactionId;
        FakeDiscord.Call first = discord.awaitCall("PATCH|DELETE", "webhooks/.*/" + token + "/messages/@original", timeout);
        if (first.method().equals("DELETE")) {
            List<FakeDiscord.Call> posts = discord.calls("POST", "channels/" + channelId + "/messages");
            return text(posts.getLast().json());
        }
        StringBuilder answer = new StringBuilder(text(first.json()));
        for (FakeDiscord.Call more : discord.calls("POST", "webhooks/.*/" + token)) answer.append('\n').append(text(more.json()));
        return answer.toString();
    }

    /** Everything the bot posted in a channel, as text, oldest first. */
    List<String> postedIn(String channelId) {
        List<String> texts = new ArrayList<>();
        for (FakeDiscord.Call call : discord.calls("POST", "channels/" + channelId + "/messages")) texts.add(text(call.json()));
        return texts;
    }

    static String text(JsonNode message) {
        List<String> parts = new ArrayList<>();
        if (!message.path("content").asText("").isEmpty()) parts.add(message.path("content").asText());
        for (JsonNode embed : message.path("embeds")) {
            if (embed.hasNonNull("title")) parts.add(embed.path("title").asText());
            if (embed.hasNonNull("description")) parts.add(embed.path("description").asText());
            for (JsonNode field : embed.path("fields")) parts.add(field.path("name").asText() + ": " + field.path("value").asText());
        }
        return String.join("\n", parts);
    }

    private static List<String[]> tokens(String line) {
        List<String[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(line);
        while (m.find()) tokens.add(new String[] {m.group(1) != null ? m.group(1) : m.group(2), Integer.toString(m.start())});
        return tokens;
    }
}
