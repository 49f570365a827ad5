package dev.rollcall.report;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;

/** The site-local days a report covers: one day, an ISO week (Monday to Sunday), a month, or any span. */
public record ReportRange(Kind kind, LocalDate from, LocalDate to) {

    public enum Kind { DAY, WEEK, MONTH, SPAN }

    public ReportRange {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException(to + " is before " + from);
        }
    }

    public static ReportRange day(LocalDate date) {
        return new ReportRange(Kind.DAY, date, date);
    }

    public static ReportRange weekOf(LocalDate date) {
        LocalDate monday = date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return new ReportRange(Kind.WEEK, monday, monday.plusDays(6));
    }

    public static ReportRange month(YearMonth month) {
        return new ReportRange(Kind.MONTH, month.atDay(1), month.atEndOfMonth());
    }

    public static ReportRange span(LocalDate from, LocalDate to) {
        return new ReportRange(Kind.SPAN, from, to);
    }

    public long length() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    public List<LocalDate> days() {
        return from.datesUntil(to.plusDays(1)).toList();
    }

    public boolean contains(LocalDate date) {
        return !date.isBefore(from) && !date.isAfter(to);
    }

    public ReportRange previous() {
        return switch (kind) {
            case DAY -> day(from.minusDays(1));
            case WEEK -> weekOf(from.minusWeeks(1));
            case MONTH -> month(YearMonth.from(from).minusMonths(1));
            case SPAN -> span(from.minusDays(length()), from.minusDays(1));
        };
    }

    public ReportRange next() {
        return switch (kind) {
            case DAY -> day(from.plusDays(1));
            case WEEK -> weekOf(from.plusWeeks(1));
            case MONTH -> month(YearMonth.from(from).plusMonths(1));
            case SPAN -> span(to.plusDays(1), to.plusDays(length()));
        };
    }

    /** How the range appears in a file name: {@code 2026-03-29}, {@code 2026-W13}, {@code 2026-03}. */
    public String label() {
        return switch (kind) {
            case DAY -> from.toString();
            case WEEK -> String.format(Locale.ROOT, "%d-W%02d", from.get(IsoFields.WEEK_BASED_YEAR), weekNumber());
            case MONTH -> YearMonth.from(from).toString();
            case SPAN -> from + "_" + to;
        };
    }

    /** The ISO week number (weeks start on Monday; week 1 holds the year's first Thursday). */
    public int weekNumber() {
        return from.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
}
