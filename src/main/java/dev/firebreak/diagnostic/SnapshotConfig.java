package dev.firebreak.diagnostic;

import dev.firebreak.command.CommandLineParser;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.UsageError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code bot/snapshot.yaml}: the checks of the first diagnostic snapshot every declared incident
 * gets, each a {@code /diag} command line as typed in chat. The incident's matched runbook's
 * list wins, then its severity's, then {@code checks}; an empty list means no snapshot.
 *
 * @param checks     the default checks
 * @param severities checks by severity id (P0-P3)
 * @param runbooks   checks by runbook id (the runbook an alert rule names or the kickoff suggests)
 */
public record SnapshotConfig(List<String> checks, Map<String, List<String>> severities, Map<String, List<String>> runbooks) {

    public SnapshotConfig {
        checks = checks == null ? List.of() : List.copyOf(checks);
        severities = copy(severities, true);
        runbooks = copy(runbooks, false);
    }

    /** No snapshot at all: what a deployment without {@code bot/snapshot.yaml} gets. */
    public static SnapshotConfig none() {
        return new SnapshotConfig(List.of(), Map.of(), Map.of());
    }

    /** The checks for an incident of {@code severity} whose matched runbooks are {@code runbooks}, the first matched first. */
    public List<String> checksFor(String severity, List<String> matchedRunbooks) {
        for (String runbook : matchedRunbooks) {
            List<String> checks = runbooks.get(runbook);
            if (checks != null) return checks;
        }
        return severities.getOrDefault(severity.toUpperCase(Locale.ROOT), checks);
    }

    /**
     * What is wrong, given the severities and runbooks that exist and the engine's parser: every
     * check must parse and run a probe (a diagnostic, never an action). Each says how to fix it.
     */
    public List<String> problems(Set<String> knownSeverities, Set<String> knownRunbooks, CommandLineParser parser) {
        List<String> problems = new ArrayList<>();
        lines("checks", checks, parser, problems);
        severities.forEach((severity, lines) -> {
            if (!knownSeverities.contains(severity)) {
                problems.add("severities." + severity + ": '" + severity + "' is not a severity of bot/severities.yaml; use one of "
                        + String.join(", ", new TreeSet<>(knownSeverities)));
            }
            lines("severities." + severity, lines, parser, problems);
        });
        runbooks.forEach((runbook, lines) -> {
            if (!knownRunbooks.contains(runbook)) {
                problems.add("runbooks." + runbook + ": '" + runbook + "' is not a runbook under runbooks/; use an id from "
                        + "/runbook list, or remove the entry");
            }
            lines("runbooks." + runbook, lines, parser, problems);
        });
        return problems;
    }

    private static void lines(String at, List<String> lines, CommandLineParser parser, List<String> problems) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = at + "[" + i + "]";
            if (line == null || line.isBlank()) {
                problems.add(where + ": is empty; write a /diag command line, e.g. /diag block");
                continue;
            }
            try {
                CommandSpec spec = parser.parse(line).spec();
                if (spec.target().kind() != CommandSpec.Kind.PROBE) {
                    problems.add(where + ": `" + line + "` is not a diagnostic (it runs " + spec.path() + "), and a snapshot only "
                            + "reads; use a /diag command");
                }
            } catch (UsageError e) {
                problems.add(where + ": `" + line + "` does not parse (" + e.getMessage().replaceFirst("\\.$", "")
                        + "); write it as you would type it in chat, e.g. /diag health sequencer");
            }
        }
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> byKey, boolean upperCase) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (byKey != null) {
            byKey.forEach((key, lines) -> copy.put(upperCase ? key.toUpperCase(Locale.ROOT) : key, lines == null ? List.of() : List.copyOf(lines)));
        }
        return java.util.Collections.unmodifiableMap(copy);
    }
}
