package dev.firebreak.oncall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Who is on call for each rotation at a given time: the rotation's schedule, unless an override
 * (planned in {@code bot/oncall.yaml} or set with {@code /oncall override}) covers that time; of
 * overlapping overrides the one set last counts.
 */
public final class OnCallRoster {

    private final OncallConfig config;
    private final OverrideStore overrides;

    public OnCallRoster(OncallConfig config, OverrideStore overrides) {
        this.config = config;
        this.overrides = overrides;
    }

    /**
     * Someone on call for a rotation, from when until when (the end of their shift or override,
     * or the start of an override that takes over earlier).
     *
     * @param override who set the override that put them on call, or empty for the schedule
     */
    public record OnCall(String rotation, String person, Instant from, Instant until, Optional<String> override) {}

    public List<String> rotations() {
        return List.copyOf(config.rotations().keySet());
    }

    public Optional<Rotation> rotation(String name) {
        return Optional.ofNullable(config.rotations().get(name));
    }

    /** Who is on call for {@code rotation} at {@code at}. */
    public OnCall at(String rotation, Instant at) {
        return at(rotation, at, covers(rotation, at));
    }

    /** Who comes after the person on call at {@code at}: the one on call when their time ends. */
    public OnCall next(String rotation, Instant at) {
        return at(rotation, at(rotation, at).until());
    }

    private OnCall at(String rotation, Instant at, List<Cover> all) {
        Rotation r = config.rotations().get(rotation);
        if (r == null) throw new IllegalArgumentException("no rotation " + rotation);
        Optional<Cover> covering = all.stream().filter(c -> !c.from().isAfter(at) && c.until().isAfter(at))
                .max(Comparator.comparingLong(Cover::order));
        if (covering.isPresent()) {
            Cover c = covering.get();
            return new OnCall(rotation, c.person(), c.from(), c.until(), Optional.of(c.setBy()));
        }
        Rotation.Shift shift = r.shiftAt(at);
        Instant until = all.stream().map(Cover::from).filter(from -> from.isAfter(at) && from.isBefore(shift.until()))
                .min(Comparator.naturalOrder()).orElse(shift.until());
        return new OnCall(rotation, shift.person(), shift.from(), until, Optional.empty());
    }

    /** An override of one rotation; later ones ({@code order}) win over earlier ones. */
    private record Cover(String person, Instant from, Instant until, String setBy, long order) {}

    private List<Cover> covers(String rotation, Instant at) {
        List<Cover> all = new ArrayList<>();
        for (OncallConfig.PlannedOverride p : config.overrides()) {
            if (p.rotation().equals(rotation)) all.add(new Cover(p.person(), p.fromInstant(), p.untilInstant(), "bot/oncall.yaml", 0));
        }
        for (OverrideStore.StoredOverride s : overrides.endingAfter(at)) {
            if (s.rotation().equals(rotation)) all.add(new Cover(s.person(), s.from(), s.until(), s.setBy(), s.id()));
        }
        return all;
    }

    /** Puts {@code person} on call for {@code rotation} from {@code from} until {@code until}. */
    public OnCall override(String rotation, String person, Instant from, Instant until, String setBy) {
        if (!config.rotations().containsKey(rotation)) throw new IllegalArgumentException("no rotation " + rotation);
        overrides.add(rotation, person, from, until, setBy);
        return at(rotation, from);
    }
}
