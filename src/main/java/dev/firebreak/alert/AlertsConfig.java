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
public record AlertsConfig(List<Rule> rules, List<MessageRule> messages) {

    public AlertsConfig {
        rules = rules == null ? List.of() : List.copyOf(rules);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    public static AlertsConfig none() {
        return new AlertsConfig(List.of(), List.of());
    }

    /**
     * A rule for messages other monitors (or people) post in the alerts channel: a message whose
     * author and text match is raised as an alert, through the same rules as Alertmanager's.
     *
     * @param author   a regular expression the author's platform id must fully match (Slack's U... or
     *                 B... of an app, Discord's snowflake, the console name), never a display name,
     *                 which anyone can change; optional (any author)
     * @param text     a regular expression found in the text, with the named group {@code summary}
     *                 and, unless {@code severity} is set, the named group {@code severity}
     * @param severity the severity label when the text has no {@code severity} group
     * @param labels   more labels for the alert's rules to match (optional); {@code alertname}
     *                 defaults to the rule's name
     */
    public record MessageRule(String name, String author, String text, String severity, Map<String, String> labels) {

        public MessageRule {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
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
        for (int i = 0; i < messages.size(); i++) {
            messageProblems("messages[" + i + "]", messages.get(i), names, problems);
        }
        return problems;
    }

    private static void messageProblems(String at, MessageRule rule, Set<String> names, List<String> problems) {
        if (rule.name() == null || !rule.name().matches("[a-z0-9][a-z0-9-]{0,63}")) {
            problems.add(at + ".name: must be lower-case letters, digits and dashes; e.g. name: forta-critical");
            return;
        }
        if (!names.add(rule.name())) problems.add(at + ".name: '" + rule.name() + "' is used twice; give each rule its own name");
        if (rule.author() != null) {
            try {
                Pattern.compile(rule.author());
            } catch (PatternSyntaxException e) {
                problems.add(at + ".author: '" + rule.author() + "' is not a regular expression (" + e.getDescription()
                        + "); fix it or quote a literal id");
            }
        }
        if (rule.text() == null || rule.text().isBlank()) {
            problems.add(at + ".text: is missing; give a regular expression with the named groups severity and summary, "
                    + "e.g. text: '(?<severity>critical|warning): (?<summary>.+)'");
            return;
        }
        Pattern text;
        try {
            text = Pattern.compile(rule.text());
        } catch (PatternSyntaxException e) {
            problems.add(at + ".text: '" + rule.text() + "' is not a regular expression (" + e.getDescription()
                    + "); fix it, e.g. text: '(?<severity>critical|warning): (?<summary>.+)'");
            return;
        }
        Set<String> groups = text.namedGroups().keySet();
        if (!groups.contains("summary")) {
            problems.add(at + ".text: has no named group summary, so the alert would say nothing; add (?<summary>...)");
        }
        if (!groups.contains("severity") && (rule.severity() == null || rule.severity().isBlank())) {
            problems.add(at + ".text: has no named group severity and the rule sets no severity; add (?<severity>...) "
                    + "or severity: warning");
        }
    }
}
