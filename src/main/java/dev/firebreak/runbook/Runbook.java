package dev.firebreak.runbook;

import java.util.List;

/**
 * A runbook as data: when it applies (symptoms), what it needs (params), and its steps.
 *
 * @param severity       the severity it is written for, if any (suggested when an incident is declared)
 * @param stopOnCritical whether a diagnostic that finds something critical stops the run there,
 *                       so nobody acts on the later steps before looking at it
 */
public record Runbook(String id, String title, String severity, List<String> symptoms, List<Param> params,
                      List<Step> steps, Boolean stopOnCritical) {

    public Runbook {
        symptoms = symptoms == null ? List.of() : List.copyOf(symptoms);
        params = params == null ? List.of() : List.copyOf(params);
        steps = steps == null ? List.of() : List.copyOf(steps);
        stopOnCritical = Boolean.TRUE.equals(stopOnCritical);
    }

    public record Param(String name, String description, String example) {}

    /**
     * One step; exactly one of its fields is set:
     * {@code run} a command line (a diagnostic, or an action that may need approval),
     * {@code check} an item only a person can do (posted, and the run goes on),
     * {@code confirm} an item only a person can do that the run waits for ({@code /runbook continue}),
     * {@code message} a template to post, {@code note} text to post.
     *
     * @param expect for diagnostics, the statuses that count as fine (default ok); others are flagged
     */
    public record Step(String run, String check, String confirm, String message, String note, List<String> expect, String why) {

        public String kind() {
            return run != null ? "run" : check != null ? "check" : confirm != null ? "confirm" : message != null ? "message" : "note";
        }

        /** The text of the one field that is set: the command line, the item, the template name or the note. */
        public String text() {
            return switch (kind()) {
                case "run" -> run;
                case "check" -> check;
                case "confirm" -> confirm;
                case "message" -> message;
                default -> note;
            };
        }

        /** Whether a diagnostic's status counts as fine for this step: one of {@code expect} (default ok), or no status at all. */
        public boolean fine(String status) {
            return status == null || (expect == null ? List.of("ok") : expect).contains(status.toLowerCase(java.util.Locale.ROOT));
        }

        /** How many of run, check, confirm, message and note are set (a valid step has exactly one). */
        public int kindsSet() {
            return (run != null ? 1 : 0) + (check != null ? 1 : 0) + (confirm != null ? 1 : 0) + (message != null ? 1 : 0)
                    + (note != null ? 1 : 0);
        }
    }
}
