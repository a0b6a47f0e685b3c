package dev.firebreak.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code bot/alerts.yaml}: rules that map an alert group's labels to what Firebreak does with it.
 * The first rule whose every {@code match} entry fully matches (a regular expression) the label of
 * that name wins; a group no rule matches is posted in the alerts channel with a declare hint.
 */
public record AlertsConfig(List<Rule> rules) {

    public AlertsConfig {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public static AlertsConfig none() {
        return new AlertsConfig(List.of());
    }

    /** What a matching rule does. */
    public enum Action { POST, DECLARE }

    /**
     * @param match        label name to a regular expression its value must fully match
     * @param action       {@code post} or {@code declare}
     * @param severity     the severity to declare ({@code declare} only)
     * @param runbook      the runbook to suggest in the kickoff (optional)
     * @param dedupeWindow a group whose dedupe key matches a group that opened or joined an open
     *                     incident within this window joins that incident instead of declaring
     *                     another (optional)
     * @param dedupeBy     the labels that make the dedupe key (default: {@code alertname})
     */
    public record Rule(String name, Map<String, String> match, String action, String severity, String runbook,
                       Duration dedupeWindow, List<String> dedupeBy) {

        public Rule {
            match = match == null ? Map.of() : Map.copyOf(match);
            dedupeBy = dedupeBy == null || dedupeBy.isEmpty() ? List.of("alertname") : List.copyOf(dedupeBy);
        }

        public Action actionKind() {
            return "declare".equalsIgnoreCase(action) ? Action.DECLARE : Action.POST;
        }

        public boolean matches(Map<String, String> labels) {
            return match.entrySet().stream().allMatch(e -> {
                String value = labels.get(e.getKey());
                return value != null && Pattern.compile(e.getValue()).matcher(value).matches();
            });
        }

        /** The key groups are deduplicated on: the rule's name and its {@code dedupeBy} labels' values. */
        public String dedupeKey(Map<String, String> labels) {
            StringBuilder key = new StringBuilder(name);
            dedupeBy.forEach(label -> key.append('|').append(label).append('=').append(labels.getOrDefault(label, "")));
            return key.toString();
        }
    }

    /** The first rule matching {@code labels}. */
    public Optional<Rule> ruleFor(Map<String, String> labels) {
        return rules.stream().filter(r -> r.matches(labels)).findFirst();
    }

    public Optional<Rule> rule(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** What is wrong with the rules, given the severities and runbooks that exist; each says how to fix it. */
    public List<String> problems(Set<String> severities, Set<String> runbooks) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            String at = "rules[" + i + "]";
            if (rule.name() == null || !rule.name().matches("[a-z0-9][a-z0-9-]{0,63}")) {
                problems.add(at + ".name: must be lower-case letters, digits and dashes; e.g. name: l2-blocks-stopped");
                continue;
            }
            if (!names.add(rule.name())) problems.add(at + ".name: '" + rule.name() + "' is used twice; give each rule its own name");
            if (rule.match().isEmpty()) {
                problems.add(at + ".match: is empty, so the rule matches every alert; add a label, e.g. match: {alertname: L2BlocksStopped}");
            }
            rule.match().forEach((label, regex) -> {
                try {
                    Pattern.compile(regex);
                } catch (PatternSyntaxException e) {
                    problems.add(at + ".match." + label + ": '" + regex + "' is not a regular expression (" + e.getDescription()
                            + "); fix it or quote a literal value");
                }
            });
            if (rule.action() == null || !(rule.action().equalsIgnoreCase("post") || rule.action().equalsIgnoreCase("declare"))) {
                problems.add(at + ".action: is '" + rule.action() + "', not post or declare; set action: post or action: declare");
            } else if (rule.actionKind() == Action.DECLARE) {
                if (rule.severity() == null || !severities.contains(rule.severity().toUpperCase(java.util.Locale.ROOT))) {
                    problems.add(at + ".severity: '" + rule.severity() + "' is not a severity of bot/severities.yaml; use one of "
                            + String.join(", ", new java.util.TreeSet<>(severities)));
                }
            }
            if (rule.runbook() != null && !runbooks.contains(rule.runbook())) {
                problems.add(at + ".runbook: '" + rule.runbook() + "' is not a runbook under runbooks/; use an id from "
                        + "/runbook list, or leave it out");
            }
            if (rule.dedupeWindow() != null && (rule.dedupeWindow().isNegative() || rule.dedupeWindow().isZero())) {
                problems.add(at + ".dedupeWindow: must be positive, e.g. 30m, or left out");
            }
        }
        return problems;
    }
}
