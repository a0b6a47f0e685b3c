package dev.firebreak.chat.discord;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandGroupData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns the catalogue's slash commands into Discord command data, and an invocation back into a
 * command line. Whether Discord accepts the data is {@link DiscordCommandRules}' question, asked by
 * the configuration check before anything starts.
 */
final class SlashCommands {

    static final int DESCRIPTION_LIMIT = 100;

    private final Map<String, SlashCommand> byName = new LinkedHashMap<>();

    SlashCommands(CommandCatalog catalog) {
        for (SlashCommand command : catalog.commands()) byName.putIfAbsent(command.name(), command);
    }

    List<SlashCommandData> commandData() {
        return byName.values().stream().map(SlashCommands::toData).toList();
    }

    static final String INCIDENT_OPTION = "incident";
    static final String INCIDENT_DESCRIPTION = "Incident, e.g. INC-12 (default: this channel's incident)";

    static String groupDescription(String command, String group) {
        return description("/" + command + " commands for " + group, group);
    }

    private static SlashCommandData toData(SlashCommand spec) {
        SlashCommandData data = Commands.slash(spec.name(), description(spec.description(), spec.name()));
        Map<String, SubcommandGroupData> groups = new LinkedHashMap<>();
        for (SlashCommand.Subcommand sub : spec.subcommands()) {
            List<OptionData> options = options(sub);
            if (sub.topLevel()) {
                data.addOptions(options);
                continue;
            }
            SubcommandData subcommand = new SubcommandData(sub.name(), description(sub.description(), sub.name())).addOptions(options);
            if (sub.group() == null) {
                data.addSubcommands(subcommand);
            } else {
                groups.computeIfAbsent(sub.group(), group -> new SubcommandGroupData(group, groupDescription(spec.name(), group)))
                        .addSubcommands(subcommand);
            }
        }
        data.addSubcommandGroups(groups.values());
        return data;
    }

    /** Discord lists required options before optional ones; the command line keeps the spec's order. */
    private static List<OptionData> options(SlashCommand.Subcommand sub) {
        List<OptionData> options = new ArrayList<>();
        sub.options().stream().sorted(Comparator.comparing(SlashCommands::optional)).map(SlashCommands::option).forEach(options::add);
        if (sub.incidentScoped()) {
            options.add(new OptionData(OptionType.STRING, INCIDENT_OPTION, INCIDENT_DESCRIPTION, false));
        }
        return options;
    }

    private static boolean optional(SlashCommand.Option arg) {
        return arg.optional() || SlashCommand.named(arg.type());
    }

    private static OptionData option(SlashCommand.Option arg) {
        OptionType type = switch (arg.type()) {
            case INT, NAMED_INT -> OptionType.INTEGER;
            case FLAG -> OptionType.BOOLEAN;
            case WORD, TEXT, CHOICE -> OptionType.STRING;
        };
        OptionData option = new OptionData(type, arg.name(), description(arg.description(), arg.name()), !optional(arg));
        if (arg.type() == SlashCommand.OptionType.CHOICE) {
            arg.choices().forEach(choice -> option.addChoice(choice, choice));
        }
        return option;
    }

    /** Discord caps descriptions at 100 characters; longer ones end with an ellipsis (the full text is in /help). */
    static String description(String text, String fallback) {
        String value = text == null || text.isBlank() ? (fallback == null ? "" : fallback) : text.strip().replace('\n', ' ');
        return value.length() <= DESCRIPTION_LIMIT ? value : value.substring(0, DESCRIPTION_LIMIT - 1) + "…";
    }

    /**
     * The command line the engine parses, e.g. {@code /diag block l2 5}: the incident first, then
     * flags that are on and named numbers ({@code --page 2}), then arguments in the spec's order. A word with spaces is quoted.
     * {@code values} looks an option up by name (null when not given).
     */
    String commandLine(String name, String subcommand, Function<String, String> values) {
        SlashCommand spec = byName.get(name);
        List<String> parts = new ArrayList<>();
        parts.add("/" + name);
        if (subcommand != null) parts.add(subcommand);
        if (spec == null) return String.join(" ", parts);
        String wanted = subcommand == null ? SlashCommand.Subcommand.TOP_LEVEL : subcommand;
        SlashCommand.Subcommand sub = spec.subcommands().stream().filter(s -> s.name().equals(wanted)).findFirst().orElse(null);
        if (sub == null) return String.join(" ", parts);
        if (sub.incidentScoped()) {
            String incident = values.apply(INCIDENT_OPTION);
            if (incident != null && !incident.isBlank()) parts.add(word(incident));
        }
        List<SlashCommand.Option> positional = new ArrayList<>();
        for (SlashCommand.Option arg : sub.options()) {
            if (arg.type() == SlashCommand.OptionType.FLAG) {
                if ("true".equals(values.apply(arg.name()))) parts.add("--" + arg.name());
            } else if (arg.type() == SlashCommand.OptionType.NAMED_INT) {
                String value = values.apply(arg.name());
                if (value != null && !value.isBlank()) parts.add("--" + arg.name() + " " + word(value));
            } else {
                positional.add(arg);
            }
        }
        List<String> given = new ArrayList<>();
        int lastGiven = -1;
        for (int i = 0; i < positional.size(); i++) {
            String value = values.apply(positional.get(i).name());
            given.add(value);
            if (value != null && !value.isBlank()) lastGiven = i;
        }
        for (int i = 0; i <= lastGiven; i++) {
            SlashCommand.Option arg = positional.get(i);
            String value = given.get(i) != null && !given.get(i).isBlank() ? given.get(i) : arg.defaultValue();
            if (value == null || value.isBlank()) continue;
            parts.add(arg.type() == SlashCommand.OptionType.TEXT ? value.strip() : word(value));
        }
        return String.join(" ", parts);
    }

    /** One token for the engine's parser: quoted when it holds spaces (quotes inside become apostrophes). */
    private static String word(String value) {
        String stripped = value.strip();
        return stripped.matches("\\S+") ? stripped : "\"" + stripped.replace('"', '\'') + "\"";
    }

    static String optionValue(OptionMapping option) {
        return option == null ? null : option.getAsString();
    }
}
