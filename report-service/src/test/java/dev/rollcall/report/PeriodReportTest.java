package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The grid of users × days behind the week and month pages. */
class PeriodReportTest {

    private static final Site SITE = new Site("hq", ZoneOffset.UTC);
    private static final Instant NOW = Instant.parse("2026-02-02T12:00:00Z");

    @Test
    void aWeekAcrossAMonthBoundaryHasACellPerUserAndDayAndRowTotals() {
        ReportRange week = ReportRange.weekOf(LocalDate.of(2026, 1, 28)); // Mon 26 Jan – Sun 1 Feb
        List<UserDay> days = List.of(
                day("2026-01-26", "bob", 3600, 1),
                day("2026-01-31", "bob", 7200, 3),
                day("2026-02-01", "Alice", 2400 + 59, 1),
                day("2026-02-02", "Alice", 9999, 9)); // outside the week

        PeriodReport r = PeriodReport.of(SITE, week, LocalDate.of(2026, 2, 2), NOW, days);

        assertThat(r.days()).hasSize(7).startsWith(LocalDate.of(2026, 1, 26)).endsWith(LocalDate.of(2026, 2, 1));
        assertThat(r.users()).extracting(PeriodReport.UserRow::username).containsExactly("Alice", "bob");
        PeriodReport.UserRow alice = r.users().get(0);
        assertThat(alice.days()).hasSize(7);
        assertThat(alice.days().subList(0, 6)).containsOnlyNulls();
        assertThat(alice.days().get(6).workingMinutes()).isEqualTo(40);
        assertThat(alice.realWorkHours()).isEqualTo(1);
        PeriodReport.UserRow bob = r.users().get(1);
        assertThat(bob.days().get(0).workingSeconds()).isEqualTo(3600);
        assertThat(bob.days().get(5).realWorkHours()).isEqualTo(3);
        assertThat(bob.days().get(6)).isNull();
        assertThat(bob.workingSeconds()).isEqualTo(10800);
        assertThat(bob.workingMinutes()).isEqualTo(180);
        assertThat(bob.realWorkHours()).isEqualTo(4);
        assertThat(r.totals().get(6).users()).isEqualTo(1);
        assertThat(r.totals().get(6).workingSeconds()).isEqualTo(2459);
        assertThat(r.totals().get(1).users()).isZero();
        assertThat(r.workingSeconds()).isEqualTo(10800 + 2459);
        assertThat(r.realWorkHours()).isEqualTo(5);
    }

    @Test
    void aMonthStopsAtItsLastDay() {
        ReportRange january = ReportRange.month(YearMonth.of(2026, 1));
        PeriodReport r = PeriodReport.of(SITE, january, LocalDate.of(2026, 2, 2), NOW,
                List.of(day("2026-01-31", "carol", 600, 0), day("2026-02-01", "carol", 600, 0)));

        assertThat(r.days()).hasSize(31);
        assertThat(r.users()).hasSize(1);
        assertThat(r.users().getFirst().days().get(30).workingMinutes()).isEqualTo(10);
        assertThat(r.users().getFirst().workingMinutes()).isEqualTo(10);
    }

    private static UserDay day(String date, String user, long seconds, int blocks) {
        LocalDate d = LocalDate.parse(date);
        Instant first = d.atTime(8, 0).toInstant(ZoneOffset.UTC);
        return new UserDay(d, user, 4, first, first.plusSeconds(seconds), "stopped",
                new WorkingTime(seconds, blocks, first, first.plusSeconds(seconds)), false);
    }
}
