package dev.firebreak.watch;

import dev.firebreak.kernel.Durations;
import dev.firebreak.probe.FixedArguments;
import dev.firebreak.probe.Probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code bot/watchers.yaml}: Firebreak's own checks. Each watcher runs a probe every
 * {@code every}, judges the result by its {@code when} condition and raises or resolves an alert
 * named {@code alert} through the alert intake, where the rules of {@code bot/alerts.yaml} decide
 * what happens to it. Thresholds stay where the probes keep them ({@code bot/chains.yaml},
 * {@code bot/services.yaml}, {@code bot/clusters.yaml}).
 */
public record WatchersConfig(List<Watcher> watchers) {

    /** The shortest interval: the clock ticks every 15 s. */
    public static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(15);
    static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);
    /** The probes that read a range of blocks and name what they found there ({@code when: events}). */
    static final List<String> EVENT_PROBES = List.of("chain.events", "chain.reverts");
    /** Labels a watcher sets itself on every alert it raises. */
    static final Set<String> OWN_LABELS = Set.of("alertname", "severity", "watcher", "source");

    public WatchersConfig {
        watchers = watchers == null ? List.of() : List.copyOf(watchers);
    }

    public static WatchersConfig none() {
        return new WatchersConfig(List.of());
    }

    /** How a probe's result becomes a level. */
    public enum Condition {
        /** The probe's own judgement: a warning or a critical result raises an alert at that level. */
        STATUS,
        /** Only a critical result raises an alert. */
        CRITICAL,
        /** The reading differs from the one first seen (a contract paused, a role changed): raises at {@code level}. */
        CHANGED,
        /**
         * Each finding of a probe that reads blocks ({@code chain.events}, {@code chain.reverts}) is an alert of its own, at
         * the finding's level: the watcher reads every block once, from where its last run stopped
         * (its cursor, in the store), and an alert is never raised twice for one event.
         */
        EVENTS
    }

    /** The values {@code when} may take. */
    static final List<String> CONDITIONS = List.of("status", "critical", "changed", "events");

    /**
     * @param name     lower-case letters, digits and dashes; the {@code watcher} label of its alerts
     * @param probe    the probe to run, as commands name it (e.g. {@code chain.head})
     * @param with     the probe's arguments
     * @param every    how often it runs (at least 15 s)
     * @param when     {@code status} (default), {@code critical}, {@code changed} or {@code events}
     * @param level    the level a {@code changed} reading raises: {@code warning} (default) or {@code critical}
     * @param alert    the {@code alertname} of the alerts it raises, e.g. {@code L2HeadStalled}
     * @param labels   more labels for the alert rules to match, e.g. {@code namespace: op-stack}
     * @param cooldown after an alert, how long a new one (the condition came back after recovering) waits (default 10m)
     */
    public record Watcher(String name, String probe, Map<String, String> with, Duration every, String when, String level,
                          String alert, Map<String, String> labels, Duration cooldown) {

        public Watcher {
            with = with == null ? Map.of() : Map.copyOf(with);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            cooldown = cooldown == null ? DEFAULT_COOLDOWN : cooldown;
        }

        public Condition condition() {
            return when == null ? Condition.STATUS : Condition.valueOf(when.toUpperCase(Locale.ROOT));
        }

        /** The {@code severity} labels of the alerts this watcher can raise. */
        /**
         * The labels of the alert this watcher raises at {@code severity}: its own labels, then
         * {@code alertname}, {@code severity}, {@code watcher} and {@code source: watcher}. The
         * configuration check matches the alert rules against these, so it sees what a run raises.
         */
        public Map<String, String> alertLabels(String alertname, String severity) {
            Map<String, String> all = new java.util.LinkedHashMap<>(labels);
            all.put("alertname", alertname);
            all.put("severity", severity);
            all.put("watcher", String.valueOf(name));
            all.put("source", Watchers.SOURCE);
            return all;
        }

        public List<String> severities() {
            if (when != null && !CONDITIONS.contains(when.toLowerCase(Locale.ROOT))) return List.of();
            return switch (condition()) {
                case STATUS, EVENTS -> List.of("warning", "critical");
                case CRITICAL -> List.of("critical");
                case CHANGED -> List.of(changedLevel().label());
            };
        }

        /** The level a {@code changed} reading raises. */
        Level changedLevel() {
            return "critical".equalsIgnoreCase(level) ? Level.CRITICAL : Level.WARNING;
        }
    }

    /**
     * The {@code with:} each watcher gives its probe, judged by the probe itself ({@link Probe#validate}):
     * what its first run (with those arguments alone; later runs of an events watcher add only its
     * cursor, {@code after}) would refuse, and then every run after it. Each is phrased
     * {@code "path: what; fix"}; watchers whose probe does not exist are left to {@link #problems}.
     */
    public List<String> argumentProblems(Map<String, Probe> probes) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < watchers.size(); i++) {
            Watcher w = watchers.get(i);
            Probe probe = w.probe() == null ? null : probes.get(w.probe());
            if (probe == null) continue;
            int at = i;
            FixedArguments.problem(probe, w.with(), Set.of()).ifPresent(p -> problems.add("watchers[" + at + "].with"
                    + p.argument().filter(w.with()::containsKey).map(a -> "." + a).orElse("") + ": watcher " + w.name() + ": "
                    + w.probe() + " refuses these arguments: " + p.message().replaceFirst("\\.$", "")
                    + "; correct with:, or every run of the watcher fails with this and raises its cannot-run alert instead"));
        }
        return problems;
    }

    /** What is wrong with the watchers, given the probes that exist; each says how to fix it. */
    public List<String> problems(Set<String> probes) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < watchers.size(); i++) {
            Watcher w = watchers.get(i);
            String at = "watchers[" + i + "]";
            if (w.name() == null || !w.name().matches("[a-z0-9][a-z0-9-]{0,63}")) {
                problems.add(at + ".name: must be lower-case letters, digits and dashes; e.g. name: l2-head-stalled");
                continue;
            }
            if (!names.add(w.name())) problems.add(at + ".name: '" + w.name() + "' is used twice; give each watcher its own name");
            if (w.probe() == null || !probes.contains(w.probe())) {
                problems.add(at + ".probe: '" + w.probe() + "' is not a probe of this deployment; use one of "
                        + String.join(", ", new TreeSet<>(probes)));
            }
            if (w.every() == null || w.every().compareTo(SHORTEST_INTERVAL) < 0) {
                problems.add(at + ".every: " + (w.every() == null ? "is missing" : Durations.format(w.every()) + " is too short")
                        + "; give an interval of at least " + Durations.format(SHORTEST_INTERVAL) + ", e.g. every: 30s");
            }
            if (w.when() != null && !CONDITIONS.contains(w.when().toLowerCase(Locale.ROOT))) {
                problems.add(at + ".when: is '" + w.when() + "'; use status, critical, changed or events");
            } else if (w.condition() == Condition.EVENTS && !EVENT_PROBES.contains(w.probe())) {
                problems.add(at + ".when: events needs a probe that reads blocks (" + w.probe() + " does not); use "
                        + String.join(" or ", EVENT_PROBES) + ", or when: status");
            } else if (w.condition() == Condition.EVENTS && (w.with().containsKey("after") || w.with().containsKey("from")
                    || w.with().containsKey("to"))) {
                problems.add(at + ".with: a watcher of events reads from where its last run stopped; remove after, from and to");
            }
            if (w.level() != null && !List.of("warning", "critical").contains(w.level().toLowerCase(Locale.ROOT))) {
                problems.add(at + ".level: is '" + w.level() + "'; use warning or critical");
            }
            if (w.alert() == null || !w.alert().matches("[A-Za-z][A-Za-z0-9_]{0,99}")) {
                problems.add(at + ".alert: must be an alert name of letters, digits and _; e.g. alert: L2HeadStalled");
            }
            for (String label : w.labels().keySet()) {
                if (OWN_LABELS.contains(label)) {
                    problems.add(at + ".labels." + label + ": is set by the watcher itself; remove it (alert: names the alert, "
                            + "the level becomes severity)");
                } else if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]{0,99}")) {
                    problems.add(at + ".labels." + label + ": is not a label name; use letters, digits and _");
                }
            }
            if (w.cooldown().isNegative()) problems.add(at + ".cooldown: must not be negative; e.g. cooldown: 10m");
        }
        return problems;
    }
}
