package dev.firebreak.command;

import dev.firebreak.people.Person;

import java.util.Optional;

/**
 * Who ran a command, where, and what it parsed to.
 *
 * @param incident    the incident the command names or its runbook run belongs to; empty means
 *                    "the incident of this channel, if any"
 * @param runbookRun  the run whose step this is, when a runbook runs the command
 */
public record CommandContext(Person person, String platform, String channelId, ParsedCommand command,
                             Optional<Long> incident, Optional<Long> runbookRun) {

    public String arg(String name) {
        return command.arg(name);
    }

    public String actor() {
        return person.key();
    }

    public boolean fromRunbook() {
        return runbookRun.isPresent();
    }
}
