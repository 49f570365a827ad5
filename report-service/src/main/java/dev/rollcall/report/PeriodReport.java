package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site's week or month as a grid of users × days: each cell a user-day's working time and real work hours
 * (null where the user did not report that day), each row with its totals, and a total per day underneath.
 */
public record PeriodReport(String site, ZoneId zone, ReportRange range, LocalDate today, Instant generatedAt,
                           List<LocalDate> days, List<UserRow> users, List<DayTotal> totals, String rules) {

    /** The same report, saying what rules its numbers were computed with. */
    public PeriodReport withRules(String computedWith) {
        return new PeriodReport(site, zone, range, today, generatedAt, days, users, totals, computedWith);
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
        List<LocalDate> days = range.days();
        Map<String, Cell[]> rows = new LinkedHashMap<>();
        for (UserDay d : userDays) {
            if (range.contains(d.date())) {
                rows.computeIfAbsent(d.username(), u -> new Cell[days.size()])[days.indexOf(d.date())] = Cell.of(d);
            }
        }
        List<UserRow> users = new ArrayList<>();
        rows.forEach((username, cells) -> {
            long seconds = 0;
            int blocks = 0;
            for (Cell c : cells) {
                if (c != null) {
                    seconds += c.workingSeconds();
                    blocks += c.realWorkHours();
                }
            }
            users.add(new UserRow(username, java.util.Arrays.asList(cells), seconds, seconds / 60, blocks));
        });
        users.sort(Comparator.comparing(UserRow::username, WorkstationReadModel.BY_NAME));
        List<DayTotal> totals = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            long seconds = 0;
            int blocks = 0;
            int reported = 0;
            for (UserRow u : users) {
                Cell c = u.days().get(i);
                if (c != null) {
                    seconds += c.workingSeconds();
                    blocks += c.realWorkHours();
                    reported++;
                }
            }
            totals.add(new DayTotal(days.get(i), seconds, seconds / 60, blocks, reported));
        }
        return new PeriodReport(site.id(), site.zone(), range, today, generatedAt, days, users, totals, "");
    }

    public long workingSeconds() {
        return users.stream().mapToLong(UserRow::workingSeconds).sum();
    }

    public int realWorkHours() {
        return users.stream().mapToInt(UserRow::realWorkHours).sum();
    }
}
