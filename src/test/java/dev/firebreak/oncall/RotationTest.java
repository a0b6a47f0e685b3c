package dev.firebreak.oncall;

import dev.firebreak.kernel.Secret;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shifts of a rotation: handoffs at the boundary, turns in order, and the wall clock across daylight saving. */
class RotationTest {

    private static Rotation rotation(String zone, Duration length, String firstShift) {
        return new Rotation("On-call engineer", List.of("alice", "bob", "carol"), zone, "09:00", length, firstShift, new Secret("unset", ""));
    }

    @Test
    void the_shift_changes_exactly_at_the_handoff_time_and_people_take_turns_in_order() {
        Rotation weekly = rotation("UTC", Duration.ofDays(7), "2026-01-05");

        assertThat(weekly.shiftAt(Instant.parse("2026-01-05T09:00:00Z")).person()).isEqualTo("alice");
        assertThat(weekly.shiftAt(Instant.parse("2026-01-12T08:59:59Z")).person()).isEqualTo("alice");
        Rotation.Shift second = weekly.shiftAt(Instant.parse("2026-01-12T09:00:00Z"));
        assertThat(second.person()).isEqualTo("bob");
        assertThat(second.from()).isEqualTo("2026-01-12T09:00:00Z");
        assertThat(second.until()).isEqualTo("2026-01-19T09:00:00Z");
        assertThat(weekly.shiftAt(Instant.parse("2026-01-19T09:00:00Z")).person()).isEqualTo("carol");
        assertThat(weekly.shiftAt(Instant.parse("2026-01-26T09:00:00Z")).person()).isEqualTo("alice");
        assertThat(weekly.shiftAt(Instant.parse("2026-01-05T08:59:59Z")).person()).as("the shift before the first").isEqualTo("carol");
    }

    @Test
    void daily_handoffs_stay_at_nine_local_time_across_the_change_to_summer_time() {
        Rotation daily = rotation("Europe/Berlin", Duration.ofDays(1), "2026-03-27");

        assertThat(daily.shiftAt(Instant.parse("2026-03-28T08:00:00Z")).from()).as("09:00 CET").isEqualTo("2026-03-28T08:00:00Z");
        Rotation.Shift sunday = daily.shiftAt(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(sunday.from()).as("09:00 CEST").isEqualTo("2026-03-29T07:00:00Z");
        assertThat(sunday.person()).isEqualTo("carol");
        assertThat(daily.shiftAt(Instant.parse("2026-03-29T06:59:59Z")).person()).isEqualTo("bob");
    }

    @Test
    void shifts_shorter_than_a_day_follow_elapsed_time() {
        Rotation twelveHours = rotation("UTC", Duration.ofHours(12), "2026-01-05");

        assertThat(twelveHours.shiftAt(Instant.parse("2026-01-05T20:59:00Z")).person()).isEqualTo("alice");
        assertThat(twelveHours.shiftAt(Instant.parse("2026-01-05T21:00:00Z")).person()).isEqualTo("bob");
        assertThat(twelveHours.shiftAt(Instant.parse("2026-01-06T09:00:00Z")).person()).isEqualTo("carol");
    }
}
