package dev.firebreak.command;

import dev.firebreak.chat.Reply;
import dev.firebreak.kernel.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code /help}: each command you may run with the names of its subcommands, one line each;
 * {@code /help COMMAND}: the usage of each of its subcommands. Generated from the registry and
 * filtered by the same permission check the dispatcher applies, so people see only what they may run.
 */
public final class HelpCommand implements CommandHandler {

    private final CommandRegistry registry;

    public HelpCommand(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Outcome handle(CommandContext ctx) {
        String only = ctx.arg("command");
        String wanted = only == null ? null : only.replace("/", "").strip().toLowerCase(Locale.ROOT);
        if (wanted != null && !registry.commandNames().contains(wanted)) {
            return Outcome.refused("There is no /" + wanted + ". Commands: /" + String.join(", /", registry.commandNames())
                    + ". Type /help for all of them.");
        }
        Message.Builder out = Message.builder().heading(wanted == null ? "Firebreak commands you can run" : "/" + wanted);
        for (String command : registry.commandNames()) {
            if (wanted != null && !wanted.equals(command)) continue;
            List<CommandSpec> mine = registry.subcommands(command).stream()
                    .filter(s -> CommandRegistry.mayRun(ctx.person(), s)).toList();
            if (mine.isEmpty()) {
                if (wanted != null) out.paragraph("You may not run any /" + command + " command; ask an incident commander for the role.");
                continue;
            }
            if (wanted == null) {
                String subcommands = mine.stream().map(CommandSpec::subcommand).filter(sub -> !sub.isEmpty())
                        .collect(Collectors.joining(", "));
                out.paragraph("*/" + command + "*: " + registry.description(command)
                        + (subcommands.isEmpty() ? "" : "\n" + subcommands));
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (CommandSpec spec : mine) {
                lines.add(spec.usage() + (spec.summary().isEmpty() ? "" : "  -  " + spec.summary())
                        + (spec.policy() != null ? "  [needs approval: " + spec.policy() + "]" : ""));
            }
            out.paragraph(registry.description(command)).preformatted(String.join("\n", lines));
        }
        if (wanted == null) out.paragraph("Type /help COMMAND for the arguments, e.g. /help incident.");
        return Outcome.done(Reply.privately(out.build()));
    }
}
