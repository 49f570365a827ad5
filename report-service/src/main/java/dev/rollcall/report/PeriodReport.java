package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A site's week or month as a grid of users × days: each cell a user-day's working time and real work hours
 * (null where the user did not report that day), each row with its totals, and a total per day underneath.
 */
public record PeriodReport(String site, ZoneId zone, ReportRange range, LocalDate today, Instant generatedAt,
                           List<LocalDate> days, List<UserRow> users, List<DayTotal> totals, String rules, Coverage coverage) {

    /** Without coverage: before the agents' downtimes were looked at. */
    public PeriodReport(String site, ZoneId zone, ReportRange range, LocalDate today, Instant generatedAt,
                        List<LocalDate> days, List<UserRow> users, List<DayTotal> totals, String rules) {
        this(site, zone, range, today, generatedAt, days, users, totals, rules, Coverage.NONE);
    }

    /** The same report with the downtimes that overlap its period and the days they make incomplete. */
    public PeriodReport withCoverage(Coverage coverage) {
        return new PeriodReport(site, zone, range, today, generatedAt, days, users, totals, rules, coverage);
    }

    /** The same report, saying what rules its numbers were computed with. */
    public PeriodReport withRules(String computedWith) {
        return new PeriodReport(site, zone, range, today, generatedAt, days, users, totals, computedWith, coverage);
    }

    public record UserRow(String username, List<Cell> days, long workingSeconds, long workingMinutes,
                          int realWorkHours) {
    }

    public record Cell(LocalDate date, long workingSeconds, long workingMinutes, int realWorkHours,
                       Instant firstActivity, Instant lastActivity, int reports, boolean running) {

        static Cell of(UserDay d) {
            WorkingTime w = d.working();
            return new Cell(d.date(), w.seconds(), w.minutes(), w.realWorkBlocks(), w.firstWorkAt(), w.lastWorkAt(),
                    d.reports(), d.running());
        }
    }

    /** All users' working time on one day; {@code users} counts those who reported. */
    public record DayTotal(LocalDate date, long workingSeconds, long workingMinutes, int realWorkHours, int users) {
    }

    public static PeriodReport of(Site site, ReportRange range, LocalDate today, Instant generatedAt,
                                  List<UserDay> userDays) {
        DayGrid<String, Cell> grid = DayGrid.of(range, userDays, UserDay::username, UserDay::date, Cell::of,
                Cell::workingSeconds, Cell::realWorkHours, WorkstationReadModel.BY_NAME);
        List<UserRow> users = grid.rows().stream().map(r -> new UserRow(r.header(), r.cells(), r.total().seconds(),
                r.total().seconds() / 60, (int) r.total().count())).toList();
        List<DayTotal> totals = new ArrayList<>();
        for (int i = 0; i < grid.days().size(); i++) {
            DayGrid.Sum t = grid.dayTotals().get(i);
            totals.add(new DayTotal(grid.days().get(i), t.seconds(), t.seconds() / 60, (int) t.count(), t.cells()));
        }
        return new PeriodReport(site.id(), site.zone(), range, today, generatedAt, grid.days(), users, totals, "");
    }

    public long workingSeconds() {
        return users.stream().mapToLong(UserRow::workingSeconds).sum();
    }

    public int realWorkHours() {
        return users.stream().mapToInt(UserRow::realWorkHours).sum();
    }
}
