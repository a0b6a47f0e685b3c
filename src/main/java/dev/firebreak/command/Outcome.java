package dev.firebreak.command;

import dev.firebreak.chat.Reply;
import dev.firebreak.kernel.Message;

/**
 * What became of a command: the answer for the person who ran it, and what a runbook needs to
 * know to go on (a diagnostic's status, an approval it must wait for, or that it must stop).
 */
public sealed interface Outcome permits Outcome.Done, Outcome.AwaitingApproval, Outcome.Refused {

    Reply reply();

    /**
     * The command did its work.
     *
     * @param status  a diagnostic's status (OK, WARNING, CRITICAL, ERROR), null for other commands
     * @param details what a runbook posts under the step's line
     */
    record Done(Reply reply, String status, Message details) implements Outcome {}

    /** An action is posted for approval; a runbook waits for it. */
    record AwaitingApproval(Reply reply, long requestId, String ref) implements Outcome {}

    /** The command was refused or its action failed; nothing (further) was changed, and a runbook stops. */
    record Refused(Reply reply) implements Outcome {}

    static Outcome done(Reply reply) {
        return new Done(reply, null, Message.builder().build());
    }

    static Outcome refused(String reason) {
        return new Refused(Reply.privately(reason));
    }

    /** The answer as one line of text, the way a runbook step reports it. */
    default String summary() {
        return reply().message().plainText();
    }
}
