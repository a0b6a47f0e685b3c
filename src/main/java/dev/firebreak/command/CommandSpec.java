package dev.firebreak.command;

import java.util.List;
import java.util.Map;

/**
 * A runnable command as the registry knows it: {@code /incident declare}, {@code /diag health},
 * {@code /help}. Exactly one of builtin, probe or action is set; {@code viaSafe} is the Safe a chain
 * action goes through when the command says {@code via: {safe: ...}}, else null.
 */
public record CommandSpec(String command, String subcommand, String summary, String role, List<ArgSpec> args,
                          List<CommandFile.FlagSpec> flags, Target target, Map<String, String> with, String policy,
                          boolean incidentScoped, String file, String viaSafe) {

    /** A command that routes nothing through a Safe. */
    public CommandSpec(String command, String subcommand, String summary, String role, List<ArgSpec> args,
                       List<CommandFile.FlagSpec> flags, Target target, Map<String, String> with, String policy,
                       boolean incidentScoped, String file) {
        this(command, subcommand, summary, role, args, flags, target, with, policy, incidentScoped, file, null);
    }

    public enum Kind { BUILTIN, PROBE, ACTION }

    /** The option that asks a paged command for a page of its output: {@code --page 2}. */
    public static final String PAGE_OPTION = "page";

    /**
     * Whether the command's output comes a page at a time, the next one asked for with
     * {@code --page N}: every probe's ({@code /diag ...}), whose output can be long.
     */
    public boolean paged() {
        return target != null && target.kind() == Kind.PROBE;
    }

    /** What the command runs: a builtin handler, a probe or an action, by name. */
    public record Target(Kind kind, String name) {}

    public String path() {
        return subcommand.isEmpty() ? "/" + command : "/" + command + " " + subcommand;
    }

    public String usage() {
        StringBuilder out = new StringBuilder(path());
        if (incidentScoped) out.append(" [INC-N]");
        for (CommandFile.FlagSpec flag : flags) out.append(" [--").append(flag.name()).append(']');
        for (ArgSpec arg : args) out.append(' ').append(arg.usage());
        return out.toString();
    }
}
