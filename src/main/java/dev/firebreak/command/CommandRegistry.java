package dev.firebreak.command;

import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.people.Person;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one source of truth for slash commands, built from {@code commands/}. Help, permission
 * checks and the platforms' command registrations all come from it.
 */
public final class CommandRegistry {

    private final Map<String, String> descriptions;
    private final Map<String, Map<String, CommandSpec>> commands;

    private CommandRegistry(Map<String, String> descriptions, Map<String, Map<String, CommandSpec>> commands) {
        this.descriptions = descriptions;
        this.commands = commands;
    }

    /**
     * Builds the registry; every problem (a name defined twice, no target, an unknown argument
     * type) is added to {@code problems}, located by file and command.
     */
    public static CommandRegistry build(Map<String, CommandFile> files, List<ConfigProblem> problems) {
        Map<String, String> descriptions = new TreeMap<>();
        Map<String, Map<String, CommandSpec>> commands = new TreeMap<>();
        Map<String, String> definedIn = new LinkedHashMap<>();
        files.forEach((file, f) -> {
            if (f.command() == null || !f.command().matches("[a-z][a-z0-9-]{0,31}")) {
                problems.add(new ConfigProblem(file, "command", "'command' must be a lowercase name such as diag",
                        "fix the command key"));
                return;
            }
            if (f.description() != null) descriptions.merge(f.command(), f.description(), (a, b) -> a);
            List<CommandFile.Entry> entries = f.subcommands() == null || f.subcommands().isEmpty()
                    ? List.of(new CommandFile.Entry("", f.summary(), f.role(), f.args(), f.flags(), f.builtin(), f.probe(),
                    f.action(), f.with(), f.policy(), f.incidentScoped(), null))
                    : f.subcommands();
            for (CommandFile.Entry e : entries) {
                String name = e.name() == null ? "" : e.name();
                String key = "/" + f.command() + (name.isEmpty() ? "" : " " + name);
                if (definedIn.containsKey(key)) {
                    problems.add(new ConfigProblem(file, key, "already defined in " + definedIn.get(key),
                            "rename one of them or remove the duplicate"));
                    continue;
                }
                definedIn.put(key, file);
                spec(file, f.command(), name, e, problems).ifPresent(spec ->
                        commands.computeIfAbsent(f.command(), c -> new LinkedHashMap<>()).put(name, spec));
            }
        });
        return new CommandRegistry(descriptions, commands);
    }

    private static Optional<CommandSpec> spec(String file, String command, String name, CommandFile.Entry e,
                                              List<ConfigProblem> problems) {
        String at = "/" + command + (name.isEmpty() ? "" : " " + name);
        int targets = (e.builtin() != null ? 1 : 0) + (e.probe() != null ? 1 : 0) + (e.action() != null ? 1 : 0);
        if (targets != 1) {
            problems.add(new ConfigProblem(file, at, "names " + targets + " targets", "name exactly one of builtin, probe or action"));
            return Optional.empty();
        }
        CommandSpec.Target target = e.builtin() != null ? new CommandSpec.Target(CommandSpec.Kind.BUILTIN, e.builtin())
                : e.probe() != null ? new CommandSpec.Target(CommandSpec.Kind.PROBE, e.probe())
                : new CommandSpec.Target(CommandSpec.Kind.ACTION, e.action());
        List<ArgSpec> args = e.args() == null ? List.of() : e.args();
        for (int i = 0; i < args.size(); i++) {
            ArgSpec a = args.get(i);
            if (a.name() == null) problems.add(new ConfigProblem(file, at, "argument " + (i + 1) + " has no name", "add name:"));
            if (!List.of("word", "int", "text", "choice", "severity", "person", "status").contains(a.typeOrWord())) {
                problems.add(new ConfigProblem(file, at, "argument " + a.name() + " has unknown type " + a.type(),
                        "use word, int, text, choice, severity, person or status"));
            }
            if ("text".equals(a.type()) && i != args.size() - 1) {
                problems.add(new ConfigProblem(file, at, "text argument " + a.name() + " is not the last one",
                        "move it last: it takes the rest of the line"));
            }
            if ("choice".equals(a.type()) && (a.values() == null || a.values().isEmpty())) {
                problems.add(new ConfigProblem(file, at, "choice argument " + a.name() + " has no values", "add values: [...]"));
            }
        }
        if (e.via() != null && (e.via().safe() == null || e.via().safe().isBlank())) {
            problems.add(new ConfigProblem(file, at, "via: names no Safe", "write via: {safe: <a Safe of bot/chains.yaml>}"));
        }
        if (e.policy() != null && target.kind() != CommandSpec.Kind.ACTION) {
            problems.add(new ConfigProblem(file, at, "only actions take a policy", "remove policy: or make it an action"));
        }
        return Optional.of(new CommandSpec(command, name, e.summary() == null ? "" : e.summary(), e.role(), args,
                e.flags() == null ? List.of() : e.flags(), target, e.with() == null ? Map.of() : e.with(), e.policy(),
                Boolean.TRUE.equals(e.incidentScoped()), file, e.via() == null ? null : e.via().safe()));
    }

    /**
     * This registry and {@code more}'s commands, for a build that adds commands of its own beside
     * {@code commands/} (the demo's {@code /demo}); a command both define is refused.
     */
    public CommandRegistry with(CommandRegistry more) {
        Map<String, String> descriptions = new TreeMap<>(this.descriptions);
        Map<String, Map<String, CommandSpec>> commands = new TreeMap<>(this.commands);
        more.commands.forEach((name, subcommands) -> {
            if (commands.containsKey(name)) throw new IllegalArgumentException("/" + name + " is already defined in commands/");
            commands.put(name, subcommands);
        });
        more.descriptions.forEach(descriptions::putIfAbsent);
        return new CommandRegistry(descriptions, commands);
    }

    public Optional<CommandSpec> find(String command, String subcommand) {
        return Optional.ofNullable(commands.get(command)).map(m -> m.get(subcommand == null ? "" : subcommand));
    }

    public boolean hasCommand(String command) {
        return commands.containsKey(command);
    }

    /** Whether the command has subcommands (so the first word after it names one). */
    public boolean hasSubcommands(String command) {
        Map<String, CommandSpec> subs = commands.get(command);
        return subs != null && !(subs.size() == 1 && subs.containsKey(""));
    }

    public Collection<String> commandNames() {
        return commands.keySet();
    }

    public String description(String command) {
        return descriptions.getOrDefault(command, "");
    }

    public List<CommandSpec> subcommands(String command) {
        return List.copyOf(commands.getOrDefault(command, Map.of()).values());
    }

    public List<CommandSpec> all() {
        List<CommandSpec> all = new ArrayList<>();
        commands.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    /** Whether a person may run a command; help shows only what they may run. */
    public static boolean mayRun(Person person, CommandSpec spec) {
        return spec.role() == null || spec.role().isBlank() || (person != null && person.hasRole(spec.role()));
    }
}
