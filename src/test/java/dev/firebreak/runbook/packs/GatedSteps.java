package dev.firebreak.runbook.packs;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Approves, one after another, the approval requests a runbook run posts: bob and carol (the two
 * approvers of {@code bot/firebreak.yaml}) react to each request message in a session of their own,
 * as people would after reading it; the run goes on to its next gated step, which is approved in
 * turn. Returns everything printed, the given output first.
 */
final class GatedSteps {

    private static final Pattern REQUEST = Pattern.compile("\\] (m\\d+)\\R\\[approval\\] \\*Approval needed (A-\\d+)");

    private GatedSteps() {}

    static String approveAll(DemoConsole console, String store, String output) {
        StringBuilder all = new StringBuilder(output);
        Set<String> approved = new LinkedHashSet<>();
        for (int round = 0; round < 10; round++) {
            Matcher m = REQUEST.matcher(all);
            String message = null;
            while (m.find()) {
                if (!approved.contains(m.group(2))) {
                    message = m.group(1);
                    approved.add(m.group(2));
                    break;
                }
            }
            if (message == null) return all.toString();
            all.append(console.session(store, "bob> react white_check_mark " + message + "\n"
                    + "carol> react white_check_mark " + message + "\n"));
        }
        throw new AssertionError("more than 10 approval requests in one run:\n" + all);
    }

    /** How many approval requests the output shows. */
    static long requests(String output) {
        return REQUEST.matcher(output).results().count();
    }
}
