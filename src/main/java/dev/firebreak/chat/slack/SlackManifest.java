package dev.firebreak.chat.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;
import dev.firebreak.kernel.ConfigProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The slash commands of the Slack app manifest ({@code bot/slack-app-manifest.yaml}), which people
 * create the Slack app from: Slack only sends the commands the app declares, so the manifest must
 * declare exactly the catalogue's. {@link #slashCommands} writes the section from the catalogue,
 * {@link #withSlashCommands} puts it into a manifest, and {@link #problems} says where a manifest
 * and the catalogue part ways, or where the manifest breaks Slack's limits.
 */
public final class SlackManifest {

    public static final String FILE = "bot/slack-app-manifest.yaml";
    /** What brings the manifest in line with {@code commands/}; the problems name it as their fix. */
    public static final String REGENERATE = "./firebreak manifest slack --write, then update the Slack app from the manifest";

    /** Slack's limits on one slash command of a manifest: the command (with its /), description, usage hint. */
    static final int COMMAND_LIMIT = 32;
    static final int DESCRIPTION_LIMIT = 2000;
    static final int USAGE_HINT_LIMIT = 1000;

    private static final Pattern COMMAND = Pattern.compile("/[a-z0-9_-]+");
    private static final Pattern SECTION = Pattern.compile("(?m)^  slash_commands:[ \\t]*\\n(?:(?:[ \\t]*|    .*)\\n)*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackManifest() {}

    /**
     * The manifest's {@code features.slash_commands} section for the catalogue, indented as it sits
     * under {@code features:}: each command with its description and a usage hint (the subcommands,
     * or the options of a command without any).
     */
    public static String slashCommands(CommandCatalog catalog) {
        StringBuilder out = new StringBuilder("  slash_commands:\n");
        for (SlashCommand command : catalog.commands()) {
            out.append("    - command: /").append(command.name()).append('\n')
                    .append("      description: ").append(quoted(cut(description(command), DESCRIPTION_LIMIT))).append('\n');
            String hint = cut(usageHint(command), USAGE_HINT_LIMIT);
            if (!hint.isEmpty()) out.append("      usage_hint: ").append(quoted(hint)).append('\n');
            out.append("      should_escape: false\n")
                    .append("      # url: https://YOUR-HOST/slack/events\n");
        }
        return out.toString();
    }

    /** The manifest with its slash-command section replaced by the catalogue's; everything else is kept as written. */
    public static String withSlashCommands(String manifest, CommandCatalog catalog) {
        Matcher section = SECTION.matcher(manifest.endsWith("\n") ? manifest : manifest + "\n");
        if (!section.find()) {
            throw new IllegalArgumentException(FILE + " has no features.slash_commands section (\"  slash_commands:\" under features:); "
                    + "add one, or paste the output of ./firebreak manifest slack there");
        }
        return section.replaceFirst(Matcher.quoteReplacement(slashCommands(catalog)));
    }

    /**
     * Every way the manifest and the catalogue disagree (a command one has and the other lacks),
     * and every slash command of the manifest that breaks Slack's limits. Locations are paths in
     * the manifest such as {@code features.slash_commands[2].command}.
     */
    public static List<ConfigProblem> problems(CommandCatalog catalog, String manifest) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (String name : catalog.names()) {
            if (name.length() + 1 > COMMAND_LIMIT) {
                problems.add(new ConfigProblem(catalog.command(name).map(SlashCommand::source).orElse("commands/"), "/" + name,
                        "is longer than the " + COMMAND_LIMIT + " characters (with the /) Slack allows for a command",
                        "give the command a shorter name"));
            }
        }
        JsonNode root;
        try {
            root = YAML.readTree(manifest);
        } catch (JsonProcessingException e) {
            problems.add(new ConfigProblem(FILE, "", "not valid YAML: " + e.getOriginalMessage(), "fix the YAML syntax"));
            return problems;
        }
        JsonNode declared = root == null ? null : root.path("features").path("slash_commands");
        if (declared == null || !declared.isArray()) {
            problems.add(new ConfigProblem(FILE, "features", "declares no slash_commands, so Slack sends Firebreak no commands",
                    REGENERATE));
            return problems;
        }
        Map<String, Integer> positions = new LinkedHashMap<>();
        for (int i = 0; i < declared.size(); i++) {
            JsonNode entry = declared.get(i);
            String at = "features.slash_commands[" + i + "]";
            String command = entry.path("command").asText("");
            if (!COMMAND.matcher(command).matches() || command.length() > COMMAND_LIMIT) {
                problems.add(new ConfigProblem(FILE, at + ".command", "'" + command + "' is not a Slack command: a /, then lower-case"
                        + " letters, digits, '-' or '_', at most " + COMMAND_LIMIT + " characters in all", REGENERATE));
            }
            String description = entry.path("description").asText("");
            if (description.isBlank() || description.length() > DESCRIPTION_LIMIT) {
                problems.add(new ConfigProblem(FILE, at + ".description", "a command's description must be 1 to "
                        + DESCRIPTION_LIMIT + " characters, has " + description.length(), REGENERATE));
            }
            if (entry.path("usage_hint").asText("").length() > USAGE_HINT_LIMIT) {
                problems.add(new ConfigProblem(FILE, at + ".usage_hint", "longer than the " + USAGE_HINT_LIMIT
                        + " characters Slack allows", REGENERATE));
            }
            if (positions.putIfAbsent(command, i) != null) {
                problems.add(new ConfigProblem(FILE, at + ".command", command + " is declared twice", "keep one"));
            }
        }
        Set<String> known = catalog.names().stream().map(name -> "/" + name).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String name : known) {
            if (!positions.containsKey(name)) {
                problems.add(new ConfigProblem(FILE, "features.slash_commands", "lacks " + name + ", which commands/ defines: Slack never "
                        + "sends it to Firebreak", REGENERATE));
            }
        }
        positions.forEach((name, i) -> {
            if (!known.contains(name) && COMMAND.matcher(name).matches()) {
                problems.add(new ConfigProblem(FILE, "features.slash_commands[" + i + "].command", "declares " + name
                        + ", which no file in commands/ defines: Firebreak cannot answer it", REGENERATE));
            }
        });
        return problems;
    }

    private static String description(SlashCommand command) {
        if (command.description() != null && !command.description().isBlank()) return command.description().strip();
        return "/" + command.name();
    }

    /** {@code declare | update | ...} for a command with subcommands; its options ({@code [COMMAND]}) for one without. */
    static String usageHint(SlashCommand command) {
        if (command.topLevel()) {
            return command.subcommands().getFirst().options().stream().map(SlackManifest::usage).collect(Collectors.joining(" "));
        }
        return command.subcommands().stream().map(SlashCommand.Subcommand::name).collect(Collectors.joining(" | "));
    }

    private static String usage(SlashCommand.Option option) {
        String shown = switch (option.type()) {
            case FLAG -> "--" + option.name();
            case NAMED_INT -> "--" + option.name() + " " + upper(option.name());
            case CHOICE -> String.join("|", option.choices());
            case TEXT -> upper(option.name()) + "...";
            default -> upper(option.name());
        };
        return option.optional() || SlashCommand.named(option.type()) ? "[" + shown + "]" : shown;
    }

    private static String upper(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
