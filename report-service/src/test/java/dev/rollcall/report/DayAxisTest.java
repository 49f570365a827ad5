package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The timeline's axis runs from local midnight to the next, by real elapsed time: 23 or 25 hours on DST days. */
class DayAxisTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void springForwardDayHas23HoursAndNoTwoOClock() {
        DayAxis axis = DayAxis.of(LocalDate.of(2026, 3, 29), BERLIN);

        assertThat(axis.start()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(axis.end()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(axis.length()).isEqualTo(Duration.ofHours(23));
        List<Integer> hours = axis.ticks().stream().map(DayAxis.HourTick::hour).toList();
        assertThat(hours).startsWith(0, 1, 3, 4).endsWith(22, 23, 24).hasSize(24).doesNotContain(2);
        // 03:00 CEST is 01:00Z, two real hours after midnight: 2/23 of the width
        assertThat(axis.percentAt(Instant.parse("2026-03-29T01:00:00Z"))).isCloseTo(200.0 / 23, within(1e-9));
        DayAxis.HourTick three = axis.ticks().get(2);
        assertThat(three.label()).isEqualTo("03");
        assertThat(three.labelled()).isTrue();
        assertThat(three.percent()).isCloseTo(200.0 / 23, within(1e-9));
        // noon local is 11 real hours after midnight, not 12
        assertThat(axis.percentAt(Instant.parse("2026-03-29T10:00:00Z"))).isCloseTo(1100.0 / 23, within(1e-9));
    }

    @Test
    void fallBackDayHas25HoursAndTwoOClockTwice() {
        DayAxis axis = DayAxis.of(LocalDate.of(2026, 10, 25), BERLIN);

        assertThat(axis.start()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
        assertThat(axis.end()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
        assertThat(axis.length()).isEqualTo(Duration.ofHours(25));
        List<DayAxis.HourTick> ticks = axis.ticks();
        assertThat(ticks.stream().map(DayAxis.HourTick::hour).toList())
                .startsWith(0, 1, 2, 2, 3, 4).endsWith(23, 24).hasSize(26);
        assertThat(ticks.get(4).label()).isEqualTo("03");
        assertThat(ticks.get(4).percent()).isCloseTo(400.0 / 25, within(1e-9));
        assertThat(ticks.getLast().percent()).isEqualTo(100);
        // the second 02:00 (CET) is 3 real hours in
        assertThat(ticks.get(3).percent()).isCloseTo(300.0 / 25, within(1e-9));
    }

    @Test
    void anOrdinaryDayHas24EvenlySpacedHours() {
        DayAxis axis = DayAxis.of(LocalDate.of(2026, 6, 1), BERLIN);

        assertThat(axis.length()).isEqualTo(Duration.ofHours(24));
        List<DayAxis.HourTick> ticks = axis.ticks();
        assertThat(ticks).hasSize(25);
        for (int h = 0; h <= 24; h++) {
            assertThat(ticks.get(h).hour()).isEqualTo(h);
            assertThat(ticks.get(h).percent()).isCloseTo(h * 100.0 / 24, within(1e-9));
            assertThat(ticks.get(h).major()).isEqualTo(h % 6 == 0);
        }
    }

    @Test
    void positionsAreClampedToTheDay() {
        DayAxis axis = DayAxis.of(LocalDate.of(2026, 6, 1), ZoneOffset.UTC);

        assertThat(axis.percentAt(Instant.parse("2026-05-31T23:00:00Z"))).isZero();
        assertThat(axis.percentAt(Instant.parse("2026-06-02T01:00:00Z"))).isEqualTo(100);
        assertThat(axis.percentAt(Instant.parse("2026-06-01T06:00:00Z"))).isEqualTo(25);
        assertThat(axis.contains(axis.start())).isTrue();
        assertThat(axis.contains(axis.end())).isFalse();
    }
}
