package dev.firebreak.chat.discord;

import dev.firebreak.command.ArgSpec;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.kernel.InvalidInput;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A top-level slash command as Discord registers it: the neutral form the engine's command registry
 * maps to (one per {@code command:} in {@code commands/*.yaml}, with the subcommands of every file).
 */
public record SlashCommandSpec(String name, String description, List<Sub> subcommands) {

    private static final Pattern NAME = Pattern.compile("[-_a-z0-9]{1,32}");

    public SlashCommandSpec {
        subcommands = List.copyOf(subcommands);
    }

    /** Discord's cap on the names, descriptions and choice values of one command, summed. */
    static final int DISCORD_CHARACTER_LIMIT = 8000;

    /** Discord allows 25 subcommands (and groups) under one command, and 25 subcommands in a group. */
    static final int DISCORD_OPTION_LIMIT = 25;

    /**
     * What Discord registers for the engine's command registry: one command per name, its
     * subcommands, flags and arguments. A command with more subcommands than Discord allows (such
     * as {@code /diag}, which gathers the chain, Kubernetes, SQL and HTTP probes) gets one
     * subcommand group per file it comes from: {@code commands/diag-chain.yaml} becomes
     * {@code /diag chain block ...} on Discord, still the command line {@code /diag block ...}.
     */
    public static List<SlashCommandSpec> fromRegistry(CommandRegistry registry) {
        return registry.commandNames().stream().map(name -> {
            List<CommandSpec> specs = registry.subcommands(name);
            boolean grouped = specs.size() > DISCORD_OPTION_LIMIT;
            return new SlashCommandSpec(name, registry.description(name), specs.stream().map(spec -> new SlashCommandSpec.Sub(
                    spec.subcommand(), spec.summary(),
                    Stream.concat(
                            spec.flags().stream().map(f -> new SlashCommandSpec.Arg(f.name(), SlashCommandSpec.ArgType.FLAG,
                                    f.description(), true, List.of(), null)),
                            spec.args().stream().map(SlashCommandSpec::arg)).toList(),
                    spec.incidentScoped(), grouped ? groupOf(spec) : null)).toList());
        }).toList();
    }

    /** {@code commands/diag-chain.yaml} gives group {@code chain}; the command's own file ({@code diag.yaml}) gives none. */
    private static String groupOf(CommandSpec spec) {
        String stem = Path.of(spec.file()).getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (stem.equals(spec.command())) return null;
        return stem.startsWith(spec.command() + "-") ? stem.substring(spec.command().length() + 1) : stem;
    }

    private static SlashCommandSpec.Arg arg(ArgSpec arg) {
        SlashCommandSpec.ArgType type = switch (arg.typeOrWord()) {
            case "int" -> SlashCommandSpec.ArgType.INT;
            case "text" -> SlashCommandSpec.ArgType.TEXT;
            case "choice" -> SlashCommandSpec.ArgType.CHOICE;
            default -> SlashCommandSpec.ArgType.WORD;
        };
        return new SlashCommandSpec.Arg(arg.name(), type, arg.description(), arg.isOptional(), arg.values(), arg.defaultValue());
    }

    /**
     * One subcommand, e.g. {@code block} of {@code /diag block CHAIN}; args in command-line order.
     * A command without subcommands (such as {@code /help [topic]}) has one sub named {@link #TOP_LEVEL}.
     * {@code incidentScoped} adds an optional {@code incident} option (INC-N) that goes first on the line.
     * {@code group} (may be null) is the Discord subcommand group it is listed under; it is not part of the command line.
     */
    public record Sub(String name, String description, List<Arg> args, boolean incidentScoped, String group) {
        public static final String TOP_LEVEL = "";

        public Sub {
            args = List.copyOf(args);
        }

        public Sub(String name, String description, List<Arg> args) {
            this(name, description, args, false, null);
        }

        boolean topLevel() {
            return TOP_LEVEL.equals(name);
        }
    }

    /**
     * One argument. {@code defaultValue} (may be null) is filled into the command line when a later
     * argument is given but this optional one is not, so positions stay right.
     */
    public record Arg(String name, ArgType type, String description, boolean optional,
                      List<String> choices, String defaultValue) {
        public Arg {
            choices = choices == null ? List.of() : List.copyOf(choices);
        }

        public static Arg required(String name, ArgType type, String description) {
            return new Arg(name, type, description, false, List.of(), null);
        }
    }

    /**
     * WORD: one token (the engine's severity, person and status types are words too); INT; TEXT: the
     * rest of the line, last only; CHOICE: one of {@code choices}; FLAG: a yes/no option such as
     * {@code --security}, written before the positional arguments.
     */
    public enum ArgType { WORD, INT, TEXT, CHOICE, FLAG }

    /**
     * Every way this spec breaks Discord's rules (names, counts, choices), as
     * {@code "/name sub: what is wrong; how to fix"}. Empty when Discord will accept it.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String where = "/" + name;
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add(where + ": command name must be 1-32 lowercase letters, digits, '-' or '_'; rename it in commands/*.yaml");
        }
        if (subcommands.isEmpty()) {
            problems.add(where + ": no subcommands; add at least one under subcommands:");
        }
        long entries = subcommands.stream().filter(sub -> sub.group() == null).count()
                + subcommands.stream().map(Sub::group).filter(Objects::nonNull).distinct().count();
        if (entries > DISCORD_OPTION_LIMIT) {
            problems.add(where + ": " + entries + " subcommands and groups, Discord allows " + DISCORD_OPTION_LIMIT
                    + "; split the command or move subcommands into more files");
        }
        subcommands.stream().filter(sub -> sub.group() != null)
                .collect(Collectors.groupingBy(Sub::group, Collectors.counting()))
                .forEach((group, count) -> {
                    if (!NAME.matcher(group).matches()) {
                        problems.add(where + " " + group + ": group name must be 1-32 lowercase letters, digits, '-' or '_'; rename the file");
                    }
                    if (count > DISCORD_OPTION_LIMIT) {
                        problems.add(where + " " + group + ": " + count + " subcommands, Discord allows " + DISCORD_OPTION_LIMIT + " in a group; split the file");
                    }
                });
        if (subcommands.stream().anyMatch(Sub::topLevel) && subcommands.size() > 1) {
            problems.add(where + ": has options of its own and subcommands, which Discord cannot mix; move the options into a subcommand");
        }
        int characters = characters();
        if (characters > DISCORD_CHARACTER_LIMIT) {
            problems.add(where + ": " + characters + " characters in names, descriptions and choices, Discord allows "
                    + DISCORD_CHARACTER_LIMIT + "; shorten summaries or split the command");
        }
        Set<String> subNames = new HashSet<>();
        for (Sub sub : subcommands) {
            String at = sub.topLevel() ? where : where + " " + sub.name();
            if (!sub.topLevel() && (sub.name() == null || !NAME.matcher(sub.name()).matches())) {
                problems.add(at + ": subcommand name must be 1-32 lowercase letters, digits, '-' or '_'; rename it");
            }
            if (!subNames.add(sub.name())) {
                problems.add(at + ": duplicate subcommand; keep one");
            }
            if (sub.args().size() > 25) {
                problems.add(at + ": " + sub.args().size() + " arguments, Discord allows 25; combine some into a text argument");
            }
            Set<String> argNames = new HashSet<>();
            for (Arg arg : sub.args()) {
                String argAt = at + " " + arg.name();
                if (arg.name() == null || !NAME.matcher(arg.name()).matches()) {
                    problems.add(argAt + ": argument name must be 1-32 lowercase letters, digits, '-' or '_'; rename it");
                }
                if (!argNames.add(arg.name())) {
                    problems.add(argAt + ": duplicate argument; keep one");
                }
                if (arg.type() == null) {
                    problems.add(argAt + ": no type; use word, int, text or choice");
                } else if (arg.type() == ArgType.CHOICE && (arg.choices().isEmpty() || arg.choices().size() > 25)) {
                    problems.add(argAt + ": a choice needs 1-25 values, has " + arg.choices().size() + "; list them under values:");
                }
                if (sub.incidentScoped() && "incident".equals(arg.name())) {
                    problems.add(argAt + ": 'incident' is the option Discord shows for incident-scoped commands; rename the argument");
                }
                if (arg.type() == ArgType.TEXT && arg != sub.args().getLast()) {
                    problems.add(argAt + ": a text argument takes the rest of the line, so it must be the last one; move it to the end");
                }
            }
        }
        return problems;
    }

    /** What Discord counts against {@link #DISCORD_CHARACTER_LIMIT}, with descriptions as they are sent (at most 100 characters). */
    int characters() {
        int total = length(name) + SlashCommands.description(description, name).length();
        for (String group : subcommands.stream().map(Sub::group).filter(Objects::nonNull).distinct().toList()) {
            total += group.length() + SlashCommands.groupDescription(name, group).length();
        }
        for (Sub sub : subcommands) {
            if (!sub.topLevel()) total += length(sub.name()) + SlashCommands.description(sub.description(), sub.name()).length();
            for (Arg arg : sub.args()) {
                total += length(arg.name()) + SlashCommands.description(arg.description(), arg.name()).length();
                for (String choice : arg.choices()) total += 2 * choice.length();
            }
            if (sub.incidentScoped()) total += SlashCommands.INCIDENT_OPTION.length() + SlashCommands.INCIDENT_DESCRIPTION.length();
        }
        return total;
    }

    private static int length(String text) {
        return text == null ? 0 : text.length();
    }

    /** Throws {@link InvalidInput} listing every problem, or returns quietly. */
    public void check() {
        List<String> problems = problems();
        if (!problems.isEmpty()) throw new InvalidInput(String.join("\n", problems));
    }
}
