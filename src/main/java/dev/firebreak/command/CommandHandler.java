package dev.firebreak.command;

/**
 * Runs one kind of command target: a builtin such as {@code incident.declare}, a probe, or an
 * action. Features own their handlers; the dispatcher only finds the right one. Bad input is an
 * {@link dev.firebreak.kernel.InvalidInput}, answered privately with its message.
 */
@FunctionalInterface
public interface CommandHandler {

    Outcome handle(CommandContext context);

    /**
     * Runs a command typed in chat, whose entry on the audit log {@code journal} writes: by default
     * once the command has been carried out, and not at all when it was refused. A handler that
     * knows earlier that the command will not be refused may write it earlier, while its slow part
     * runs (a diagnostic while its probe reads), but never before it has judged the command.
     */
    default Outcome handle(CommandContext context, Runnable journal) {
        Outcome outcome = handle(context);
        if (!(outcome instanceof Outcome.Refused)) journal.run();
        return outcome;
    }
}
