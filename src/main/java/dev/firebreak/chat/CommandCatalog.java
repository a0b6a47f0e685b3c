package dev.firebreak.chat;

import java.util.List;
import java.util.Optional;

/**
 * Every slash command Firebreak offers, as neutral data for the chat adapters: each platform
 * registers and routes all of them, so a command added in {@code commands/} works everywhere.
 */
public record CommandCatalog(List<SlashCommand> commands) {

    public CommandCatalog {
        commands = List.copyOf(commands);
    }

    /** The top-level names, without the slash, in catalogue order. */
    public List<String> names() {
        return commands.stream().map(SlashCommand::name).toList();
    }

    public Optional<SlashCommand> command(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
