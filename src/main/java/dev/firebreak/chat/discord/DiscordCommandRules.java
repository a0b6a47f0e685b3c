package dev.firebreak.chat.discord;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;
import dev.firebreak.kernel.ConfigProblem;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Discord's rules for registering slash commands on a server, held against the data
 * {@link SlashCommands} sends (descriptions as cut to 100 characters, the {@code incident} option
 * added to incident-scoped subcommands, subcommand groups), so the configuration check refuses
 * before start-up what Discord would refuse at registration. Each problem names the file the
 * command comes from, the command and the fix.
 */
public final class DiscordCommandRules {

    /** Command, subcommand, group and option names: Discord's pattern, and lower case where a letter has one. */
    static final Pattern NAME = Pattern.compile("^[-_\\p{L}\\p{N}]{1,32}$", Pattern.UNICODE_CHARACTER_CLASS);
    static final int DESCRIPTION_LIMIT = SlashCommands.DESCRIPTION_LIMIT;
    /** Options under one subcommand, subcommands and groups under one command, subcommands in one group, choices of one option. */
    static final int LIST_LIMIT = 25;
    /** Names, descriptions and choice values of one command with everything under it, summed. */
    static final int CHARACTER_LIMIT = 8000;
    /** Chat-input commands one application may register on one server. */
    static final int COMMAND_LIMIT = 100;
    static final int CHOICE_LIMIT = 100;

    private DiscordCommandRules() {}

    /** Every way the catalogue breaks Discord's rules; empty when Discord will accept all of it. */
    public static List<ConfigProblem> problems(CommandCatalog catalog) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (catalog.commands().size() > COMMAND_LIMIT) {
            problems.add(new ConfigProblem("commands/", "", catalog.commands().size() + " slash commands, Discord registers at most "
                    + COMMAND_LIMIT + " on a server", "merge commands into subcommands of fewer ones"));
        }
        for (SlashCommand command : catalog.commands()) check(command, problems);
        if (problems.isEmpty()) {
            try {
                new SlashCommands(catalog).commandData();
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("commands/", "", "Discord's client library refuses the slash commands: " + e.getMessage(),
                        "change the command it names so it keeps Discord's rules"));
            }
        }
        return problems;
    }

    private static void check(SlashCommand command, List<ConfigProblem> problems) {
        String file = command.source() == null ? "commands/" : command.source();
        String where = "/" + command.name();
        name(command.name(), file, where, "command name", "rename the command: key", problems);
        description(SlashCommands.description(command.description(), command.name()), file, where, problems);
        List<SlashCommand.Subcommand> subcommands = command.subcommands();
        if (subcommands.isEmpty()) {
            problems.add(new ConfigProblem(file, where, "has no subcommands", "add at least one under subcommands:"));
            return;
        }
        if (subcommands.stream().anyMatch(SlashCommand.Subcommand::topLevel) && subcommands.size() > 1) {
            problems.add(new ConfigProblem(file, where, "has options of its own and subcommands, which Discord cannot mix",
                    "move the options into a subcommand"));
        }
        long entries = subcommands.stream().filter(sub -> sub.group() == null).count()
                + subcommands.stream().map(SlashCommand.Subcommand::group).filter(Objects::nonNull).distinct().count();
        if (entries > LIST_LIMIT) {
            problems.add(new ConfigProblem(file, where, entries + " subcommands and groups, Discord lists at most " + LIST_LIMIT,
                    "split the command, or move subcommands into more files (each file becomes a group)"));
        }
        Map<String, List<SlashCommand.Subcommand>> groups = new LinkedHashMap<>();
        subcommands.stream().filter(sub -> sub.group() != null).forEach(sub -> groups.computeIfAbsent(sub.group(), g -> new ArrayList<>()).add(sub));
        groups.forEach((group, members) -> {
            String groupFile = members.getFirst().source() == null ? file : members.getFirst().source();
            name(group, groupFile, where + " " + group, "subcommand group name (from the file name)", "rename the file", problems);
            if (members.size() > LIST_LIMIT) {
                problems.add(new ConfigProblem(groupFile, where + " " + group, members.size() + " subcommands in one group, Discord allows "
                        + LIST_LIMIT, "split the file"));
            }
        });
        Set<String> seen = new HashSet<>();
        for (SlashCommand.Subcommand sub : subcommands) {
            String subFile = sub.source() == null ? file : sub.source();
            String at = sub.topLevel() ? where : where + " " + sub.name();
            if (!sub.topLevel()) {
                name(sub.name(), subFile, at, "subcommand name", "rename it", problems);
                description(SlashCommands.description(sub.description(), sub.name()), subFile, at, problems);
            }
            if (!seen.add(sub.group() + "/" + sub.name())) {
                problems.add(new ConfigProblem(subFile, at, "is listed twice", "keep one"));
            }
            options(sub, subFile, at, problems);
        }
        int characters = characters(command);
        if (characters > CHARACTER_LIMIT) {
            problems.add(new ConfigProblem(file, where, characters + " characters in names, descriptions and choices, Discord allows "
                    + CHARACTER_LIMIT + " for one command", "shorten summaries and descriptions, or split the command"));
        }
    }

    private static void options(SlashCommand.Subcommand sub, String file, String at, List<ConfigProblem> problems) {
        int count = sub.options().size() + (sub.incidentScoped() ? 1 : 0);
        if (count > LIST_LIMIT) {
            problems.add(new ConfigProblem(file, at, count + " options" + (sub.incidentScoped() ? " (with incident)" : "")
                    + ", Discord allows " + LIST_LIMIT, "combine some arguments into a text argument"));
        }
        Set<String> names = new HashSet<>();
        for (SlashCommand.Option option : sub.options()) {
            String optionAt = at + " option " + option.name();
            name(option.name(), file, optionAt, "argument name", "rename it", problems);
            description(SlashCommands.description(option.description(), option.name()), file, optionAt, problems);
            if (!names.add(option.name())) {
                problems.add(new ConfigProblem(file, optionAt, "is defined twice", "give each argument and flag its own name"));
            }
            if (sub.incidentScoped() && SlashCommands.INCIDENT_OPTION.equals(option.name())) {
                problems.add(new ConfigProblem(file, optionAt, "'" + SlashCommands.INCIDENT_OPTION
                        + "' is the option Discord shows for the incident of an incident-scoped command", "rename the argument"));
            }
            if (option.type() == SlashCommand.OptionType.CHOICE) {
                if (option.choices().isEmpty() || option.choices().size() > LIST_LIMIT) {
                    problems.add(new ConfigProblem(file, optionAt, "a choice has " + option.choices().size()
                            + " values, Discord allows 1 to " + LIST_LIMIT, "list 1 to " + LIST_LIMIT + " values, or make it a word"));
                }
                for (String choice : option.choices()) {
                    if (choice == null || choice.isEmpty() || choice.length() > CHOICE_LIMIT) {
                        problems.add(new ConfigProblem(file, optionAt, "choice '" + choice + "' is not 1 to " + CHOICE_LIMIT
                                + " characters", "shorten it"));
                    }
                }
            }
        }
    }

    private static void name(String name, String file, String at, String what, String fix, List<ConfigProblem> problems) {
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(new ConfigProblem(file, at, what + " '" + name + "' is not 1 to 32 letters, digits, '-' or '_'", fix));
        } else if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            problems.add(new ConfigProblem(file, at, what + " '" + name + "' has capital letters, which Discord refuses",
                    fix + " in lower case"));
        }
    }

    private static void description(String sent, String file, String at, List<ConfigProblem> problems) {
        if (sent.isEmpty() || sent.length() > DESCRIPTION_LIMIT) {
            problems.add(new ConfigProblem(file, at, "description is not 1 to " + DESCRIPTION_LIMIT + " characters", "write a summary"));
        }
    }

    /** What Discord counts against {@link #CHARACTER_LIMIT}, with descriptions as they are sent (at most 100 characters). */
    static int characters(SlashCommand command) {
        int total = length(command.name()) + SlashCommands.description(command.description(), command.name()).length();
        for (String group : command.subcommands().stream().map(SlashCommand.Subcommand::group).filter(Objects::nonNull).distinct().toList()) {
            total += group.length() + SlashCommands.groupDescription(command.name(), group).length();
        }
        for (SlashCommand.Subcommand sub : command.subcommands()) {
            if (!sub.topLevel()) total += length(sub.name()) + SlashCommands.description(sub.description(), sub.name()).length();
            for (SlashCommand.Option option : sub.options()) {
                total += length(option.name()) + SlashCommands.description(option.description(), option.name()).length();
                for (String choice : option.choices()) total += 2 * length(choice);
            }
            if (sub.incidentScoped()) total += SlashCommands.INCIDENT_OPTION.length() + SlashCommands.INCIDENT_DESCRIPTION.length();
        }
        return total;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }
}
