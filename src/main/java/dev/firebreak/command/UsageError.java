package dev.firebreak.command;

/** A command line that does not match its command: the message says what is wrong; the usage line follows. */
public class UsageError extends RuntimeException {

    private final String usage;

    public UsageError(String message, String usage) {
        super(message);
        this.usage = usage;
    }

    public String usage() {
        return usage;
    }
}
