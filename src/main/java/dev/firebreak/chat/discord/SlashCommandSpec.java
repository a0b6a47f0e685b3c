package dev.firebreak.chat.discord;

import dev.firebreak.probe.InvalidInput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A top-level slash command as Discord registers it: the neutral form the engine's command registry
 * maps to (one per {@code command:} in {@code commands/*.yaml}, with the subcommands of every file).
 */
public record SlashCommandSpec(String name, String description, List<Sub> subcommands) {

    private static final Pattern NAME = Pattern.compile("[-_a-z0-9]{1,32}");

    public SlashCommandSpec {
        subcommands = List.copyOf(subcommands);
    }

    /**
     * One subcommand, e.g. {@code block} of {@code /diag block CHAIN}; args in command-line order.
     * A command without subcommands (such as {@code /help [topic]}) has one sub named {@link #TOP_LEVEL}.
     * {@code incidentScoped} adds an optional {@code incident} option (INC-N) that goes first on the line.
     */
    public record Sub(String name, String description, List<Arg> args, boolean incidentScoped) {
        public static final String TOP_LEVEL = "";

        public Sub {
            args = List.copyOf(args);
        }

        public Sub(String name, String description, List<Arg> args) {
            this(name, description, args, false);
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
        if (subcommands.size() > 25) {
            problems.add(where + ": " + subcommands.size() + " subcommands, Discord allows 25; split the command");
        }
        if (subcommands.stream().anyMatch(Sub::topLevel) && subcommands.size() > 1) {
            problems.add(where + ": has options of its own and subcommands, which Discord cannot mix; move the options into a subcommand");
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

    /** Throws {@link InvalidInput} listing every problem, or returns quietly. */
    public void check() {
        List<String> problems = problems();
        if (!problems.isEmpty()) throw new InvalidInput(String.join("\n", problems));
    }
}
