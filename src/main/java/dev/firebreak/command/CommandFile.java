package dev.firebreak.command;

import java.util.List;
import java.util.Map;

/**
 * One file in {@code commands/}: a top-level slash command and subcommands it defines.
 * Several files may add subcommands to the same command. A command without subcommands
 * (like {@code /help}) describes its own arguments and target.
 */
public record CommandFile(String command, String description, List<Entry> subcommands,
                          String summary, String role, List<ArgSpec> args, List<FlagSpec> flags,
                          String builtin, String probe, String action, Map<String, String> with, String policy,
                          Boolean incidentScoped) {

    /** A subcommand: what it runs (a builtin, a probe or an action), its arguments, the role it needs. */
    public record Entry(String name, String summary, String role, List<ArgSpec> args, List<FlagSpec> flags,
                        String builtin, String probe, String action, Map<String, String> with, String policy,
                        Boolean incidentScoped, Via via) {}

    /** {@code via: {safe: pilSafe}}: the chain action goes through that Safe (bot/chains.yaml safes:) whatever its contract says. */
    public record Via(String safe) {}

    /** A boolean option such as {@code --security}. */
    public record FlagSpec(String name, String description) {}
}
