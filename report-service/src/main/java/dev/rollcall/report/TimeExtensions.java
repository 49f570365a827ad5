package dev.rollcall.report;

import io.quarkus.qute.TemplateExtension;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Locale;

/** How times look on pages: local to the site, 24-hour clock, durations as h:mm. */
@TemplateExtension
public class TimeExtensions {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(Locale.UK);
    private static final DateTimeFormatter DAY_MONTH_YEAR = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);
    private static final DateTimeFormatter MONTH_YEAR = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.UK);

    static String hhmm(Instant t, ZoneId zone) {
        return t == null ? "" : HH_MM.format(t.atZone(zone));
    }

    /**
     * {@code 08:02} on {@code today}, else {@code Mon 2 Mar 22:00}. English names whatever the server's locale:
     * the live page's script writes the same.
     */
    static String dayAndTime(Instant t, ZoneId zone, LocalDate today) {
        if (t == null) {
            return "";
        }
        return t.atZone(zone).toLocalDate().equals(today) ? hhmm(t, zone) : DAY_AND_TIME.format(t.atZone(zone));
    }

    static String hhmmss(Instant t, ZoneId zone) {
        return t == null ? "" : HH_MM_SS.format(t.atZone(zone));
    }

    static String longDate(LocalDate d) {
        return LONG_DATE.format(d);
    }

    static String dayMonthYear(LocalDate d) {
        return DAY_MONTH_YEAR.format(d);
    }

    static String monthYear(LocalDate d) {
        return MONTH_YEAR.format(d);
    }

    /** {@code 2026-03}: the month a date is in, as the month page's parameter. */
    static String yearMonth(LocalDate d) {
        return YearMonth.from(d).toString();
    }

    static String weekday(LocalDate d) {
        return d.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.UK);
    }

    static int dayOfMonth(LocalDate d) {
        return d.getDayOfMonth();
    }

    static boolean weekend(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    static LocalDate previousDay(LocalDate d) {
        return d.minusDays(1);
    }

    static LocalDate nextDay(LocalDate d) {
        return d.plusDays(1);
    }

    /** A duration as hours and minutes, {@code 7:05}; minutes are cut, not rounded, as in the CSV. */
    static String hm(long seconds) {
        long minutes = Math.max(0, seconds) / 60;
        long m = minutes % 60;
        return minutes / 60 + (m < 10 ? ":0" : ":") + m;
    }
}
