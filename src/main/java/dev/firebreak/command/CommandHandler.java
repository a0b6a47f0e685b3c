package dev.firebreak.command;

/**
 * Runs one kind of command target: a builtin such as {@code incident.declare}, a probe, or an
 * action. Features own their handlers; the dispatcher only finds the right one. Bad input is an
 * {@link dev.firebreak.kernel.InvalidInput}, answered privately with its message.
 */
@FunctionalInterface
public interface CommandHandler {

    Outcome handle(CommandContext context);
}
