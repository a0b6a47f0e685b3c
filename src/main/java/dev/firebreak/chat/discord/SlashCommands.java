package dev.firebreak.chat.discord;

import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Turns {@link SlashCommandSpec}s into Discord command data, and an invocation back into a command line. */
final class SlashCommands {

    static final int DESCRIPTION_LIMIT = 100;

    private final Map<String, SlashCommandSpec> byName = new LinkedHashMap<>();

    SlashCommands(List<SlashCommandSpec> specs) {
        for (SlashCommandSpec spec : specs) {
            spec.check();
            if (byName.putIfAbsent(spec.name(), spec) != null) {
                throw new dev.firebreak.probe.InvalidInput("/" + spec.name() + ": defined twice; merge the subcommands into one spec");
            }
        }
    }

    List<SlashCommandData> commandData() {
        return byName.values().stream().map(SlashCommands::toData).toList();
    }

    private static SlashCommandData toData(SlashCommandSpec spec) {
        SlashCommandData data = Commands.slash(spec.name(), description(spec.description(), spec.name()));
        for (SlashCommandSpec.Sub sub : spec.subcommands()) {
            SubcommandData subData = new SubcommandData(sub.name(), description(sub.description(), sub.name()));
            // Discord lists required options before optional ones; the command line keeps the spec's order.
            sub.args().stream()
                    .sorted(Comparator.comparing(SlashCommandSpec.Arg::optional))
                    .map(SlashCommands::option)
                    .forEach(subData::addOptions);
            data.addSubcommands(subData);
        }
        return data;
    }

    private static OptionData option(SlashCommandSpec.Arg arg) {
        OptionType type = arg.type() == SlashCommandSpec.ArgType.INT ? OptionType.INTEGER : OptionType.STRING;
        OptionData option = new OptionData(type, arg.name(), description(arg.description(), arg.name()), !arg.optional());
        if (arg.type() == SlashCommandSpec.ArgType.CHOICE) {
            arg.choices().forEach(choice -> option.addChoice(choice, choice));
        }
        return option;
    }

    /** Discord caps descriptions at 100 characters; longer ones end with an ellipsis (the full text is in /help). */
    static String description(String text, String fallback) {
        String value = text == null || text.isBlank() ? fallback : text.strip().replace('\n', ' ');
        return value.length() <= DESCRIPTION_LIMIT ? value : value.substring(0, DESCRIPTION_LIMIT - 1) + "…";
    }

    /**
     * The command line the engine parses, e.g. {@code /diag block l2 5}, with arguments in the spec's
     * order. {@code values} looks an option up by name (null when not given).
     */
    String commandLine(String name, String subcommand, Function<String, String> values) {
        SlashCommandSpec spec = byName.get(name);
        List<String> parts = new ArrayList<>();
        parts.add("/" + name);
        if (subcommand != null) parts.add(subcommand);
        if (spec == null) return String.join(" ", parts);
        List<SlashCommandSpec.Arg> args = spec.subcommands().stream()
                .filter(sub -> sub.name().equals(subcommand))
                .findFirst().map(SlashCommandSpec.Sub::args).orElse(List.of());
        List<String> values_ = new ArrayList<>();
        int lastGiven = -1;
        for (int i = 0; i < args.size(); i++) {
            String value = values.apply(args.get(i).name());
            values_.add(value);
            if (value != null) lastGiven = i;
        }
        for (int i = 0; i <= lastGiven; i++) {
            String value = values_.get(i) != null ? values_.get(i) : args.get(i).defaultValue();
            if (value != null && !value.isBlank()) parts.add(value.strip());
        }
        return String.join(" ", parts);
    }

    static String optionValue(OptionMapping option) {
        return option == null ? null : option.getAsString();
    }
}
