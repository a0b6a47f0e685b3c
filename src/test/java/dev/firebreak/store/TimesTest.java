package dev.firebreak.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimesTest {

    @Test
    void what_format_writes_reads_back_as_the_same_instant() {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 100_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(0, 253_402_300_799L), random.nextInt(1_000_000) * 1_000L);
            String text = Times.format(at);
            assertThat(Times.parse(text)).as(text).isEqualTo(at).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void text_in_another_shape_is_read_by_the_general_parser() {
        assertThat(Times.parse("2026-12-03T12:47:15Z")).isEqualTo(Instant.parse("2026-12-03T12:47:15Z"));
        assertThat(Times.parse("2026-12-03T12:47:15.123456789Z")).isEqualTo(Instant.parse("2026-12-03T12:47:15.123456789Z"));
        assertThat(Times.parse(null)).isNull();
    }

    @Test
    void a_fixed_width_value_that_is_not_a_time_is_refused_as_before() {
        assertThatThrownBy(() -> Times.parse("2026-13-03T12:47:15.123456Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Times.parse("2026-12-03T12:4x:15.123456Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> Times.parse("2026-02-30T12:47:15.123456Z")).isInstanceOf(DateTimeParseException.class);
    }
}
