package dev.firebreak.probe;

import dev.firebreak.kernel.Message;

/** How an action ended. {@code verified} is set when a post-condition was read back and held. */
public record ActionResult(Outcome outcome, String summary, Message details) {

    public enum Outcome { SUCCEEDED, FAILED }

    public static ActionResult succeeded(String summary) {
        return new ActionResult(Outcome.SUCCEEDED, summary, Message.text(summary));
    }

    public static ActionResult failed(String summary) {
        return new ActionResult(Outcome.FAILED, summary, Message.text(summary));
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }
}
