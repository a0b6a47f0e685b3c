package dev.firebreak.command;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A command line matched to its spec: arguments by name, flags given, the incident named (if any)
 * and the page of its output asked for ({@code --page N} of a paged command, or its {@code page} argument; 1 when
 * none is).
 */
public record ParsedCommand(CommandSpec spec, Map<String, String> args, Set<String> flags, Optional<Long> incident, int page) {

    public ParsedCommand(CommandSpec spec, Map<String, String> args, Set<String> flags, Optional<Long> incident) {
        this(spec, args, flags, incident, 1);
    }

    public String arg(String name) {
        return args.get(name);
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }
}
