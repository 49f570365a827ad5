package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A site's month as employees × days: each cell an employee's time present that day (null: not present), each
 * row with its total and days present, a total per day underneath. Open sessions count up to {@code generatedAt},
 * or up to {@code coverage.presenceUnknownSince} while a presence agent is silent (such a cell is {@code unknown}).
 */
public record PresenceMonth(RosterSite site, ReportRange range, LocalDate today, Instant generatedAt,
                            List<LocalDate> days, List<EmployeeRow> employees, List<DayTotal> totals,
                            long presentSeconds, String rules, Coverage coverage) {

    public record EmployeeRow(Employee employee, List<Cell> days, long presentSeconds, long presentMinutes,
                              int daysPresent) {
    }

    public record Cell(LocalDate date, long presentSeconds, long presentMinutes, int sessions, Instant arrived,
                       Instant left, boolean present, boolean unknown) {
    }

    /** All employees on one day; {@code employees} counts those present that day. */
    public record DayTotal(LocalDate date, long presentSeconds, long presentMinutes, int employees) {
    }
}
