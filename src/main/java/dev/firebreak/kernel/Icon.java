package dev.firebreak.kernel;

/**
 * What a message line means at a glance, said once in the message and shown by each platform in
 * its own way: Slack as the emoji's {@code :name:}, Discord as the Unicode emoji, the console and
 * logs as the word in brackets ({@link #plain()}).
 */
public enum Icon {
    OK("white_check_mark", "[ok]"),
    WARNING("warning", "[warn]"),
    CRITICAL("red_circle", "[CRIT]"),
    /** Could not run, or ran and failed. */
    ERROR("x", "[error]"),
    APPROVED("white_check_mark", "[approved]"),
    REJECTED("no_entry", "[rejected]"),
    EXPIRED("hourglass", "[expired]"),
    /** One person's approval or rejection, or a step someone confirmed. */
    VOTE("ballot_box_with_check", "[vote]"),
    APPROVAL_NEEDED("lock", "[approval]"),
    PINNED("pushpin", "[pinned]"),
    INFO("information_source", "[info]"),
    INCIDENT("rotating_light", "[INCIDENT]"),
    /** Details kept inside the responders' channel. */
    RESTRICTED("no_entry", "[restricted]"),
    ROLE("bust_in_silhouette", "[role]"),
    STATUS_UPDATE("memo", "[update]"),
    REMINDER("alarm_clock", "[reminder]"),
    HANDOFF("arrows_counterclockwise", "[handoff]"),
    RUNBOOK("book", "[runbook]"),
    /** A runbook step that waits for a person. */
    WAITING("raised_hand", "[waiting]"),
    /** A runbook step that waits for an approval. */
    PAUSED("pause_button", "[paused]"),
    STOPPED("octagonal_sign", "[stopped]"),
    FINISHED("checkered_flag", "[done]"),
    ANNOUNCEMENT("loudspeaker", "[message]");

    private final String emoji;
    private final String plain;

    Icon(String emoji, String plain) {
        this.emoji = emoji;
        this.plain = plain;
    }

    /** The emoji that shows it, by its {@link Emoji} name ({@code white_check_mark}). */
    public String emoji() {
        return emoji;
    }

    /** The emoji as Unicode ({@code ✅}). */
    public String unicode() {
        return Emoji.unicode(emoji);
    }

    /** How plain text shows it: a word in brackets, readable in a terminal and a log ({@code [ok]}). */
    public String plain() {
        return plain;
    }
}
