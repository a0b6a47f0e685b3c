package dev.firebreak.oncall;

import dev.firebreak.kernel.Secret;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One rotation of {@code bot/oncall.yaml}: people in order, each on call for one shift of
 * {@code length}, handing over at {@code handoff} local time in {@code zone}; the first shift
 * starts on {@code firstShift}. Shifts of whole days follow the wall clock (a handoff at 09:00
 * stays at 09:00 across daylight saving changes).
 *
 * @param routingKey the PagerDuty integration key that pages this rotation; unset: the default
 */
public record Rotation(String name, List<String> people, String zone, String handoff, java.time.Duration length,
                       String firstShift, Secret routingKey) {

    public Rotation {
        people = people == null ? List.of() : List.copyOf(people);
        routingKey = routingKey == null ? new Secret("unset", "") : routingKey;
    }

    /** A scheduled shift: who, from when until when. */
    public record Shift(String person, Instant from, Instant until) {}

    /** The scheduled shift that holds {@code at}. */
    public Shift shiftAt(Instant at) {
        long k = estimate(at);
        while (start(k).isAfter(at)) k--;
        while (!start(k + 1).isAfter(at)) k++;
        return new Shift(people.get((int) Math.floorMod(k, (long) people.size())), start(k), start(k + 1));
    }

    private long estimate(Instant at) {
        return Math.floorDiv(Duration.between(start(0), at).toSeconds(), length.toSeconds());
    }

    private Instant start(long k) {
        ZonedDateTime first = LocalDate.parse(firstShift).atTime(LocalTime.parse(handoff)).atZone(ZoneId.of(zone));
        if (length.toSeconds() % 86_400 == 0) return first.plusDays(k * (length.toSeconds() / 86_400)).toInstant();
        return first.toInstant().plus(length.multipliedBy(k));
    }

    /** Problems phrased {@code "path: what; fix"}, given the people bot/firebreak.yaml knows ({@code null}: not checked). */
    List<String> problems(String path, java.util.Set<String> knownPeople) {
        List<String> problems = new ArrayList<>();
        if (people.isEmpty()) problems.add(path + ".people: empty; list who takes turns, e.g. [alice, bob]");
        for (int i = 0; i < people.size(); i++) {
            if (knownPeople != null && !knownPeople.contains(people.get(i))) {
                problems.add(path + ".people[" + i + "]: '" + people.get(i) + "' is not a person of bot/firebreak.yaml; "
                        + "use one of " + String.join(", ", new java.util.TreeSet<>(knownPeople)));
            }
        }
        try {
            ZoneId.of(zone == null ? "" : zone);
        } catch (DateTimeException e) {
            problems.add(path + ".zone: '" + zone + "' is not a time zone; write a region such as Europe/Berlin, or UTC");
        }
        try {
            LocalTime.parse(handoff == null ? "" : handoff);
        } catch (DateTimeException e) {
            problems.add(path + ".handoff: '" + handoff + "' is not a time of day; write it as HH:MM in quotes, e.g. \"09:00\"");
        }
        try {
            LocalDate.parse(firstShift == null ? "" : firstShift);
        } catch (DateTimeException e) {
            problems.add(path + ".firstShift: '" + firstShift + "' is not a date; write the day the first shift starts, e.g. 2026-01-05");
        }
        if (length == null || length.isNegative() || length.toMinutes() < 60) {
            problems.add(path + ".length: a shift must last at least an hour; write e.g. 7d or 12h");
        }
        problems.addAll(dev.firebreak.paging.PagerDutySettings.routingKeyProblems(path + ".routingKey", routingKey));
        return problems;
    }
}
