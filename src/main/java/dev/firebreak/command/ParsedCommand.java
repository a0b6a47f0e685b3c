package dev.firebreak.command;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command line matched to its spec: arguments by name, flags given, and the incident named (if any). */
public record ParsedCommand(CommandSpec spec, Map<String, String> args, Set<String> flags, Optional<Long> incident) {

    public String arg(String name) {
        return args.get(name);
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }
}
