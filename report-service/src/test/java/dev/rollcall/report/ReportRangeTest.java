package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;

import static org.assertj.core.api.Assertions.assertThat;

class ReportRangeTest {

    @Test
    void aWeekRunsMondayToSundayAcrossAMonthAndAYearEnd() {
        ReportRange week = ReportRange.weekOf(LocalDate.of(2026, 1, 1)); // a Thursday

        assertThat(week.from()).isEqualTo(LocalDate.of(2025, 12, 29));
        assertThat(week.to()).isEqualTo(LocalDate.of(2026, 1, 4));
        assertThat(week.days()).hasSize(7);
        assertThat(week.label()).isEqualTo("2026-W01"); // the ISO week-based year, not the calendar year
        assertThat(week.weekNumber()).isEqualTo(1);
        assertThat(week.previous().from()).isEqualTo(LocalDate.of(2025, 12, 22));
        assertThat(week.next().from()).isEqualTo(LocalDate.of(2026, 1, 5));
        assertThat(ReportRange.weekOf(week.from())).isEqualTo(week);
        assertThat(ReportRange.weekOf(week.to())).isEqualTo(week);
    }

    @Test
    void aMonthHasAllItsDaysAndNoOthers() {
        ReportRange feb = ReportRange.month(YearMonth.of(2028, 2));

        assertThat(feb.from()).isEqualTo(LocalDate.of(2028, 2, 1));
        assertThat(feb.to()).isEqualTo(LocalDate.of(2028, 2, 29));
        assertThat(feb.length()).isEqualTo(29);
        assertThat(feb.label()).isEqualTo("2028-02");
        assertThat(feb.contains(LocalDate.of(2028, 3, 1))).isFalse();
        assertThat(feb.previous().label()).isEqualTo("2028-01");
        assertThat(feb.next().to()).isEqualTo(LocalDate.of(2028, 3, 31));
    }

    @Test
    void aDayAndASpanNameThemselvesForFiles() {
        assertThat(ReportRange.day(LocalDate.of(2026, 3, 29)).label()).isEqualTo("2026-03-29");
        assertThat(ReportRange.span(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 10)).label())
                .isEqualTo("2026-03-01_2026-03-10");
    }
}
