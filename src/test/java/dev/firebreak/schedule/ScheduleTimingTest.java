package dev.firebreak.schedule;

import dev.firebreak.kernel.InvalidInput;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When schedules are due: phrases and cron expressions, in their time zone, across daylight-saving changes. */
class ScheduleTimingTest {

    @Test
    void daily_at_nine_in_berlin_is_eight_utc_in_winter_and_seven_in_summer() {
        ScheduleTiming daily = ScheduleTiming.of("daily at 09:00 Europe/Berlin", null, null);

        assertThat(daily.nextSlot(Instant.parse("2026-12-02T00:00:00Z"))).contains(Instant.parse("2026-12-02T08:00:00Z"));
        assertThat(daily.nextSlot(Instant.parse("2026-07-01T00:00:00Z"))).contains(Instant.parse("2026-07-01T07:00:00Z"));
    }

    @Test
    void across_the_spring_change_the_wall_clock_time_holds_and_the_day_has_one_slot() {
        ScheduleTiming daily = ScheduleTiming.of("daily at 09:00 Europe/Berlin", null, null);
        // clocks went forward on Sunday 2026-03-29 at 02:00 in Berlin
        Instant saturday = daily.nextSlot(Instant.parse("2026-03-28T00:00:00Z")).orElseThrow();
        Instant sunday = daily.nextSlot(saturday).orElseThrow();

        assertThat(saturday).isEqualTo(Instant.parse("2026-03-28T08:00:00Z"));
        assertThat(sunday).isEqualTo(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(daily.nextSlot(sunday)).contains(Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void across_the_autumn_change_an_hour_that_happens_twice_runs_once() {
        // clocks went back on Sunday 2026-10-25 at 03:00 in Berlin: 02:30 happened twice
        ScheduleTiming nightly = ScheduleTiming.of("daily at 02:30 Europe/Berlin", null, null);
        Instant first = nightly.nextSlot(Instant.parse("2026-10-24T12:00:00Z")).orElseThrow();

        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(nightly.nextSlot(first)).contains(Instant.parse("2026-10-26T01:30:00Z"));
    }

    @Test
    void the_last_slot_is_the_newest_at_or_before_now() {
        ScheduleTiming daily = ScheduleTiming.of("daily at 09:00 Europe/Berlin", null, null);

        assertThat(daily.lastSlot(Instant.parse("2026-12-02T07:59:59Z"))).contains(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(daily.lastSlot(Instant.parse("2026-12-02T08:00:00Z"))).contains(Instant.parse("2026-12-02T08:00:00Z"));
        assertThat(daily.lastSlot(Instant.parse("2026-12-05T12:00:00Z"))).contains(Instant.parse("2026-12-05T08:00:00Z"));
    }

    @Test
    void the_last_slot_on_the_day_the_clocks_go_forward() {
        ScheduleTiming daily = ScheduleTiming.of("daily at 09:00 Europe/Berlin", null, null);

        assertThat(daily.lastSlot(Instant.parse("2026-03-29T06:59:00Z"))).contains(Instant.parse("2026-03-28T08:00:00Z"));
        assertThat(daily.lastSlot(Instant.parse("2026-03-29T07:00:00Z"))).contains(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(daily.lastSlot(Instant.parse("2026-03-29T07:00:01Z"))).contains(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(daily.lastSlot(Instant.parse("2026-03-30T06:00:00Z"))).contains(Instant.parse("2026-03-29T07:00:00Z"));
    }

    @Test
    void weekly_monthly_and_cron_in_a_zone() {
        ScheduleTiming weekly = ScheduleTiming.of("weekly on monday at 10:00 Europe/Berlin", null, null);
        ScheduleTiming monthly = ScheduleTiming.of("monthly on day 1 at 09:30 Europe/Berlin", null, null);
        ScheduleTiming weekdays = ScheduleTiming.of(null, "0 9 * * 1-5", "America/New_York");

        // 2026-12-02 is a Wednesday
        assertThat(weekly.nextSlot(Instant.parse("2026-12-02T00:00:00Z"))).contains(Instant.parse("2026-12-07T09:00:00Z"));
        assertThat(monthly.nextSlot(Instant.parse("2026-12-02T00:00:00Z"))).contains(Instant.parse("2027-01-01T08:30:00Z"));
        assertThat(weekdays.nextSlot(Instant.parse("2026-12-04T15:00:00Z"))).as("Friday after 09:00 in New York: Monday")
                .contains(Instant.parse("2026-12-07T14:00:00Z"));
        assertThat(ScheduleTiming.of(null, "30 6 * * *", null).nextSlot(Instant.parse("2026-12-02T00:00:00Z")))
                .as("cron without a zone is UTC").contains(Instant.parse("2026-12-02T06:30:00Z"));
    }

    @Test
    void a_bad_schedule_says_what_is_wrong_and_how_to_write_it() {
        assertThatThrownBy(() -> ScheduleTiming.of(null, "0 9 * *", null)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("'0 9 * *' is not a cron expression").hasMessageContaining("write five fields");
        assertThatThrownBy(() -> ScheduleTiming.of(null, "0 25 * * *", null)).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("is not a cron expression");
        assertThatThrownBy(() -> ScheduleTiming.of("daily at 09:00 Europe/Berlln", null, null)).isInstanceOf(InvalidInput.class)
                .hasMessage("'Europe/Berlln' is not a time zone; use a region name such as Europe/Berlin, America/New_York or UTC");
        assertThatThrownBy(() -> ScheduleTiming.of("every morning", null, null)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("'every morning' is not a schedule: write daily at 09:00 Europe/Berlin");
        assertThatThrownBy(() -> ScheduleTiming.of("daily at 24:00 UTC", null, null)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("24:00 is not a time of day");
        assertThatThrownBy(() -> ScheduleTiming.of("weekly on mondy at 09:00 UTC", null, null)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("'mondy' is not a day of the week");
        assertThatThrownBy(() -> ScheduleTiming.of("monthly on day 31 at 09:00 UTC", null, null)).isInstanceOf(InvalidInput.class)
                .hasMessageStartingWith("day 31 is not in every month");
        assertThatThrownBy(() -> ScheduleTiming.of("daily at 09:00 UTC", "0 9 * * *", null)).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("not both");
    }
}
