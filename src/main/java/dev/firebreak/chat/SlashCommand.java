package dev.firebreak.chat;

import java.util.List;

/**
 * One top-level slash command as the chat platforms offer it, in neutral form: the wiring builds it
 * from the command registry, the adapters register and route it, and the configuration check holds
 * it against each platform's rules. One per {@code command:} in {@code commands/*.yaml}, with the
 * subcommands of every file that adds to it.
 *
 * @param source where the command is described, for problem reports (e.g. {@code commands/diag.yaml}); may be null
 */
public record SlashCommand(String name, String description, List<Subcommand> subcommands, String source) {

    public SlashCommand {
        subcommands = List.copyOf(subcommands);
    }

    public SlashCommand(String name, String description, List<Subcommand> subcommands) {
        this(name, description, subcommands, null);
    }

    /** Whether the command takes its options itself (such as {@code /help [command]}) rather than naming a subcommand first. */
    public boolean topLevel() {
        return subcommands.size() == 1 && subcommands.getFirst().topLevel();
    }

    /**
     * One subcommand, e.g. {@code block} of {@code /diag block CHAIN}; options in command-line order.
     * A command without subcommands has one named {@link #TOP_LEVEL}. {@code incidentScoped}: an
     * incident (INC-N) may go first on the line. {@code group} (may be null) is the group a platform
     * lists it under when a command has more subcommands than one list holds; it is not part of the
     * command line.
     *
     * @param source the file that defines it, for problem reports; may be null
     */
    public record Subcommand(String name, String description, List<Option> options, boolean incidentScoped, String group,
                             String source) {
        public static final String TOP_LEVEL = "";

        public Subcommand {
            options = List.copyOf(options);
        }

        public Subcommand(String name, String description, List<Option> options, boolean incidentScoped, String group) {
            this(name, description, options, incidentScoped, group, null);
        }

        public Subcommand(String name, String description, List<Option> options) {
            this(name, description, options, false, null, null);
        }

        public boolean topLevel() {
            return TOP_LEVEL.equals(name);
        }
    }

    /**
     * One option. {@code defaultValue} (may be null) is filled into the command line when a later
     * option is given but this optional one is not, so positions stay right.
     */
    public record Option(String name, OptionType type, String description, boolean optional,
                         List<String> choices, String defaultValue) {
        public Option {
            choices = choices == null ? List.of() : List.copyOf(choices);
        }

        public static Option required(String name, OptionType type, String description) {
            return new Option(name, type, description, false, List.of(), null);
        }
    }

    /**
     * WORD: one token (severities, people and statuses are words too); INT; TEXT: the rest of the
     * line, last only; CHOICE: one of {@code choices}; FLAG: a yes/no option such as
     * {@code --security}, written before the positional options; NAMED_INT: a whole number written
     * with its name, {@code --page 2}, also before the positional options.
     */
    public enum OptionType { WORD, INT, TEXT, CHOICE, FLAG, NAMED_INT }

    /** The options written with their names ({@code --security}, {@code --page 2}) rather than by position. */
    public static boolean named(OptionType type) {
        return type == OptionType.FLAG || type == OptionType.NAMED_INT;
    }
}
