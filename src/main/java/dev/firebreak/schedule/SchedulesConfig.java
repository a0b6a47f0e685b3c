package dev.firebreak.schedule;

import dev.firebreak.kernel.InvalidInput;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code bot/schedules.yaml}: the scheduled checks. Optional; without it nothing runs by itself. */
public record SchedulesConfig(List<Schedule> schedules) {

    private static final String NAME = "[a-z0-9][a-z0-9-]{0,63}";

    public SchedulesConfig {
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
    }

    public static SchedulesConfig none() {
        return new SchedulesConfig(List.of());
    }

    public Optional<Schedule> find(String name) {
        return schedules.stream().filter(s -> s.name() != null && s.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * What is wrong with the schedules, each phrased {@code "path: what; fix"}, given the runbooks,
     * the channels Firebreak posts in and the people that exist (empty when bot/firebreak.yaml could
     * not be read, so not checked) and the on-call rotations an owner may name instead of a person.
     * The steps' command lines are parsed by the configuration check, as runbook steps are.
     */
    public List<String> problems(Set<String> runbooks, Optional<Set<String>> channels, Optional<Set<String>> people,
                                 Set<String> rotations) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < schedules.size(); i++) {
            Schedule s = schedules.get(i);
            String at = "schedules[" + i + "]";
            if (s.name() == null || !s.name().matches(NAME)) {
                problems.add(at + ".name: '" + s.name() + "' must be lowercase words joined by -; e.g. name: jeju-daily");
                continue;
            }
            if (!names.add(s.name())) problems.add(at + ".name: " + s.name() + " is used twice; give each schedule its own name");
            try {
                s.timing();
            } catch (InvalidInput e) {
                problems.add(at + "." + (s.cron() != null ? "cron" : "when") + ": schedule " + s.name() + ": " + e.getMessage()
                        + (e.getMessage().contains("; ") ? "" : "; see the examples at the top of bot/schedules.yaml"));
            }
            if ((s.runbook() == null) == s.steps().isEmpty()) {
                problems.add(at + ": schedule " + s.name() + " needs either runbook: or steps:, "
                        + (s.runbook() == null ? "it has neither" : "not both") + "; name a runbook or list the checks under steps:");
            } else if (s.runbook() != null && !runbooks.contains(s.runbook())) {
                problems.add(at + ".runbook: schedule " + s.name() + " names unknown runbook " + s.runbook()
                        + "; use an id that /runbook list shows, or list the checks under steps:");
            }
            if (s.channel() != null && channels.isPresent() && !channels.get().contains(s.channelOr(""))) {
                problems.add(at + ".channel: schedule " + s.name() + " reports in " + s.channel() + ", a channel Firebreak does not post in"
                        + "; use " + String.join(" or ", new TreeSet<>(channels.get())) + " (the channels of bot/firebreak.yaml), or leave it out for the alerts channel");
            }
            if (s.owner() == null || people.isPresent() && !people.get().contains(s.owner()) && !rotations.contains(s.owner())) {
                problems.add(at + ".owner: schedule " + s.name() + (s.owner() == null ? " has no owner" : " is owned by unknown person " + s.owner())
                        + "; name the person who ticks off its checklist, one of " + String.join(", ", new TreeSet<>(people.orElse(Set.of())))
                        + (rotations.isEmpty() ? "" : ", or an on-call rotation of bot/oncall.yaml (" + String.join(", ", new TreeSet<>(rotations))
                                + ") whose person on call owns it"));
            }
            if (s.remindAfter().isNegative() || s.remindAfter().isZero()) {
                problems.add(at + ".remindAfter: must be positive; e.g. remindAfter: 4h, or leave it out");
            }
        }
        return problems;
    }
}
