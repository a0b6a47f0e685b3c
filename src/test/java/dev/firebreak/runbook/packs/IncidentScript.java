package dev.firebreak.runbook.packs;

import dev.firebreak.demo.chain.DevnetRpc;
import dev.firebreak.runbook.Runbook;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs console lines inside a fresh incident of the demo (so message steps render their
 * templates), and approves a runbook's gated steps the way two approvers would, in a later
 * session on the same store, as after a restart.
 */
record IncidentScript(DemoConsole console, String store, String channel) {

    private static final Pattern HOLDING = Pattern.compile("\\[waiting\\] Step \\d+/\\d+ waits for a person: .*\\R"
            + "When it is done: `/runbook continue (R-\\d+)`");
    private static final Pattern APPROVAL = Pattern.compile("\\[#[^\\]]+] (m\\d+)\\R\\[approval\\] \\*Approval needed (A-\\d+)");

    /** Declares {@code title} in store {@code store} and runs {@code lines} (commands) as alice in its channel. */
    static IncidentScript declare(DemoConsole console, String store, String severity, String title) {
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        IncidentScript script = new IncidentScript(console, store, DemoConsole.incidentChannel(slug));
        String out = console.session(store, "alice> /incident declare " + severity + " " + title + "\n");
        assertThat(out).contains("#" + script.channel());
        return script;
    }

    /** Runs commands as alice in the incident channel; returns what the console printed. */
    String run(String... commands) {
        return console.session(store, Arrays.stream(commands).map(c -> "alice #" + channel + "> " + c)
                .collect(Collectors.joining("\n", "", "\n")));
    }

    /**
     * Runs {@code command} and, each time the run holds at a confirm step, confirms it as alice
     * ({@code /runbook continue}); returns everything printed. At most 10 confirmations.
     */
    String runConfirming(String command) {
        StringBuilder all = new StringBuilder(run(command));
        for (int confirmed = 0; confirmed < 10; confirmed++) {
            Matcher held = HOLDING.matcher(all);
            long holds = held.results().count();
            if (holds <= confirmed) return all.toString();
            Matcher last = HOLDING.matcher(all);
            String run = null;
            while (last.find()) run = last.group(1);
            all.append(run("/runbook continue " + run));
        }
        throw new AssertionError("more than 10 confirm steps in one run:\n" + all);
    }

    /** Bob and Carol approve {@code approval} (e.g. A-1) whose request was posted in {@code earlier}; returns what follows. */
    String approve(String earlier, String approval) {
        String ref = ref(earlier, approval);
        return console.session(store, "bob #" + channel + "> react white_check_mark " + ref + "\n"
                + "carol #" + channel + "> react white_check_mark " + ref + "\n");
    }

    /**
     * As {@link #approve}, then two of the demo Safe's owners sign it with {@code /demo sign}, in the
     * same session: for an action that goes through the demo Safe (the PIL orchestrator's pause).
     */
    String approveAndSign(String earlier, String approval) {
        String ref = ref(earlier, approval);
        return console.session(store, "bob #" + channel + "> react white_check_mark " + ref + "\n"
                + "carol #" + channel + "> react white_check_mark " + ref + "\n"
                + "alice #" + channel + "> /demo sign " + approval + " as owner1\n"
                + "alice #" + channel + "> /demo sign " + approval + " as owner2\n");
    }

    /** The message number of an approval request in a console transcript. */
    static String ref(String transcript, String approval) {
        Matcher m = APPROVAL.matcher(transcript);
        while (m.find()) {
            if (m.group(2).equals(approval)) return m.group(1);
        }
        throw new AssertionError("no approval request " + approval + " in:\n" + transcript);
    }

    /** Runs {@code body} on the demo chain and reverts the chain to its state before, so tests do not see each other's transactions. */
    static void onChainSnapshot(DevnetRpc rpc, Runnable body) {
        String snapshot = rpc.snapshot();
        try {
            body.run();
        } finally {
            rpc.revertTo(snapshot);
        }
    }

    /** {@code /runbook run ID name=value ...} with the values of {@code values} for the parameters the runbook declares. */
    static String runLine(Runbook runbook, Map<String, String> values) {
        StringBuilder line = new StringBuilder("/runbook run " + runbook.id());
        for (Runbook.Param p : runbook.params()) {
            String value = values.get(p.name());
            if (value == null) throw new AssertionError("no demo value for parameter " + p.name() + " of " + runbook.id());
            line.append(' ').append(p.name()).append('=').append(value);
        }
        return line.toString();
    }

    /**
     * Runs {@code runbook} in a fresh incident on a chain snapshot and checks that it runs to its end,
     * or waits at its first approval when it is {@code gated}. The one unpause runbook of a pack
     * ({@code unpauseRunbook}) stops at its unpause step instead: nothing is paused in the demo, so
     * the simulation refuses it and nothing is sent. A pack whose unpause is scheduled through a
     * timelock has none (null): its recovery runbook waits at the schedule's approval.
     */
    static void assertWalks(DemoConsole console, Runbook runbook, Map<String, String> values, Set<String> gated,
                            String unpauseRunbook, String unpausedContract) {
        onChainSnapshot(console.demo().chain().rpc(), () -> {
            IncidentScript incident = declare(console, "walk-" + runbook.id(), "P2", "walk " + runbook.id());
            String out = incident.runConfirming(runLine(runbook, values));
            if (runbook.id().equals(unpauseRunbook)) {
                assertThat(out).contains("`/action unpause " + unpausedContract + "` could not run").contains("not paused");
            } else if (gated.contains(runbook.id())) {
                assertWaitsForFirstApproval(out, runbook);
            } else {
                assertFinished(out, runbook);
            }
        });
    }

    /** Every step of the runbook was posted, each check item shown to people, and the run finished. */
    static void assertFinished(String out, Runbook runbook) {
        int steps = runbook.steps().size();
        assertThat(out).as(runbook.id()).contains("Runbook " + runbook.id() + " (R-").contains(") finished.")
                .doesNotContain("[stopped]").doesNotContain("could not run").doesNotContain("Exception");
        for (int i = 1; i <= steps; i++) assertThat(out).as(runbook.id() + " step " + i).contains("Step " + i + "/" + steps);
        long checks = runbook.steps().stream().filter(s -> s.check() != null).count();
        assertThat(count(out, "(for a person)")).as(runbook.id() + " check items shown").isEqualTo(checks);
    }

    /** The run walked up to its first gated action and waits there for approval A-1. */
    static void assertWaitsForFirstApproval(String out, Runbook runbook) {
        assertThat(out).as(runbook.id()).contains("[approval] *Approval needed A-1")
                .containsPattern("\\[paused\\] Step \\d+/" + runbook.steps().size() + " `/action [^`]+` waits for approval A-1")
                .doesNotContain("[stopped]").doesNotContain(") finished.");
    }

    static long count(String text, String part) {
        long n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
