package dev.firebreak.oncall;

import dev.firebreak.kernel.Secret;
import dev.firebreak.paging.PagerDutySettings;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code bot/oncall.yaml}: PagerDuty, the rotations, planned overrides, which rotation each
 * severity notifies, and the escalation levels (seed 002's four).
 */
public record OncallConfig(PagerDutySettings pagerduty, Map<String, Rotation> rotations, List<PlannedOverride> overrides,
                           Map<String, SeverityRoute> severities, List<EscalationLevel> escalation) {

    public OncallConfig {
        pagerduty = pagerduty == null ? PagerDutySettings.none() : pagerduty;
        rotations = rotations == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rotations));
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        severities = severities == null ? Map.of() : Map.copyOf(severities);
        escalation = escalation == null ? List.of() : List.copyOf(escalation);
    }

    /** Without bot/oncall.yaml: no rotations, nobody notified, nothing paged. */
    public static OncallConfig none() {
        return new OncallConfig(null, null, null, null, null);
    }

    /**
     * Every configured PagerDuty routing key by the name events refer to it by: {@code default}
     * ({@code pagerduty.routingKey}), {@code rotation:<name>} and {@code severity:<id>}.
     */
    public Map<String, Secret> routingKeys() {
        Map<String, Secret> keys = new LinkedHashMap<>();
        if (pagerduty.routingKey().isPresent()) keys.put(DEFAULT_ROUTING_KEY, pagerduty.routingKey());
        rotations.forEach((name, r) -> {
            if (r != null && r.routingKey().isPresent()) keys.put("rotation:" + name, r.routingKey());
        });
        severities.forEach((id, route) -> {
            if (route != null && route.routingKey().isPresent()) keys.put("severity:" + id, route.routingKey());
        });
        return keys;
    }

    public static final String DEFAULT_ROUTING_KEY = "default";

    /** Cover planned in the file: {@code person} is on call for {@code rotation} from {@code from} until {@code until} (ISO 8601 with offset). */
    public record PlannedOverride(String rotation, String person, String from, String until) {

        Instant fromInstant() {
            return OffsetDateTime.parse(from).toInstant();
        }

        Instant untilInstant() {
            return OffsetDateTime.parse(until).toInstant();
        }
    }

    /**
     * What declaring an incident of one severity does: notify the on-call person of {@code rotation},
     * page them when {@code page}, and escalate up to level {@code upTo} while nobody acknowledges.
     *
     * @param routingKey pages this severity on a PagerDuty service of its own; unset: the rotation's, else the default
     */
    public record SeverityRoute(String rotation, Boolean page, Integer upTo, Secret routingKey) {

        public SeverityRoute {
            page = page != null && page;
            upTo = upTo == null ? 1 : upTo;
            routingKey = routingKey == null ? new Secret("unset", "") : routingKey;
        }
    }

    /**
     * One escalation level. Level 1 (the first) is the on-call person of the severity's rotation and
     * names nobody itself; later levels name a rotation, people, or contacts outside the team.
     *
     * @param acknowledgeWithin how long this level has to acknowledge before the next is called (level 1: the severity's response time)
     * @param contacts          who to call outside chat (name to phone, address or channel), posted when the level is reached
     */
    public record EscalationLevel(String name, String rotation, List<String> people, Boolean page, Duration acknowledgeWithin,
                                  Map<String, String> contacts) {

        public EscalationLevel {
            people = people == null ? List.of() : List.copyOf(people);
            page = page != null && page;
            contacts = contacts == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contacts));
        }
    }

    /**
     * Problems phrased {@code "path: what; fix"}, given the people of bot/firebreak.yaml (empty when
     * it could not be read: then people are not checked) and the severities of bot/severities.yaml.
     */
    public List<String> problems(java.util.Optional<Set<String>> people, Set<String> severityIds) {
        List<String> problems = new ArrayList<>(pagerduty.problems());
        Set<String> known = people.<Set<String>>map(TreeSet::new).orElse(null);
        rotations.forEach((name, rotation) -> {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,40}")) {
                problems.add("rotations." + name + ": not a valid rotation name; use lower-case letters, digits and '-'");
            }
            if (rotation == null) problems.add("rotations." + name + ": empty; give it people, zone, handoff, length and firstShift");
            else problems.addAll(rotation.problems("rotations." + name, known));
        });
        for (int i = 0; i < overrides.size(); i++) {
            PlannedOverride o = overrides.get(i);
            String path = "overrides[" + i + "]";
            if (!rotations.containsKey(o.rotation())) problems.add(path + ".rotation: '" + o.rotation() + "' is not a rotation; use one of "
                    + String.join(", ", rotations.keySet()));
            if (known != null && !known.contains(o.person())) problems.add(path + ".person: '" + o.person() + "' is not a person of bot/firebreak.yaml; use one of "
                    + String.join(", ", known));
            try {
                if (!o.untilInstant().isAfter(o.fromInstant())) problems.add(path + ".until: ends before it starts; make until later than from");
            } catch (DateTimeException | NullPointerException e) {
                problems.add(path + ": from and until must be times with an offset; write e.g. \"2026-12-24T09:00:00Z\"");
            }
        }
        new java.util.TreeMap<>(severities).forEach((id, route) -> {
            String path = "severities." + id;
            if (!severityIds.isEmpty() && !severityIds.contains(id)) problems.add(path + ": '" + id + "' is not a severity of bot/severities.yaml; use one of "
                    + String.join(", ", new TreeSet<>(severityIds)));
            if (route == null) {
                problems.add(path + ": empty; give it a rotation, e.g. {rotation: primary, page: true, upTo: 2}");
                return;
            }
            if (!rotations.containsKey(route.rotation())) problems.add(path + ".rotation: '" + route.rotation()
                    + "' is not a rotation; use one of " + String.join(", ", rotations.keySet()));
            if (route.upTo() < 1 || route.upTo() > Math.max(1, escalation.size())) {
                problems.add(path + ".upTo: level " + route.upTo() + " does not exist; use a level from 1 to " + Math.max(1, escalation.size()));
            }
            problems.addAll(PagerDutySettings.routingKeyProblems(path + ".routingKey", route.routingKey()));
        });
        if (!severities.isEmpty() && escalation.isEmpty()) {
            problems.add("escalation: empty; give at least level 1, e.g. - name: On-call engineer");
        }
        for (int i = 0; i < escalation.size(); i++) {
            EscalationLevel level = escalation.get(i);
            String path = "escalation[" + i + "]";
            if (level.name() == null || level.name().isBlank()) problems.add(path + ".name: missing; name the level, e.g. Engineering lead");
            if (i == 0) {
                if (level.rotation() != null || !level.people().isEmpty() || level.acknowledgeWithin() != null) {
                    problems.add(path + ": level 1 is the on-call person of the severity's rotation, who has the severity's response "
                            + "time; remove rotation, people and acknowledgeWithin from it");
                }
                continue;
            }
            if (level.rotation() != null && !rotations.containsKey(level.rotation())) problems.add(path + ".rotation: '" + level.rotation()
                    + "' is not a rotation; use one of " + String.join(", ", rotations.keySet()));
            for (String person : level.people()) {
                if (known != null && !known.contains(person)) problems.add(path + ".people: '" + person + "' is not a person of bot/firebreak.yaml; use one of "
                        + String.join(", ", known));
            }
            if (level.rotation() == null && level.people().isEmpty() && level.contacts().isEmpty()) {
                problems.add(path + ": reaches nobody; give it a rotation, people or contacts");
            }
            boolean last = i == escalation.size() - 1;
            if (!last && (level.acknowledgeWithin() == null || level.acknowledgeWithin().isZero() || level.acknowledgeWithin().isNegative())) {
                problems.add(path + ".acknowledgeWithin: missing; say how long this level has before level " + (i + 2) + " is called, e.g. 10m");
            }
            if (level.page() && level.rotation() == null && level.people().isEmpty()) {
                problems.add(path + ".page: the level has only contacts, whom PagerDuty cannot page; remove page: true");
            }
        }
        return problems;
    }
}
