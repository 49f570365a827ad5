package dev.rollcall.report;

import io.quarkus.qute.TemplateExtension;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** How times look on pages: local to the site, 24-hour clock. */
@TemplateExtension
public class TimeExtensions {

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofLocalizedDate(FormatStyle.FULL).withLocale(Locale.UK);

    static String hhmm(Instant t, ZoneId zone) {
        return t == null ? "" : HH_MM.format(t.atZone(zone));
    }

    static String hhmmss(Instant t, ZoneId zone) {
        return t == null ? "" : HH_MM_SS.format(t.atZone(zone));
    }

    static String longDate(java.time.LocalDate d) {
        return LONG_DATE.format(d);
    }

    static java.time.LocalDate previousDay(java.time.LocalDate d) {
        return d.minusDays(1);
    }

    static java.time.LocalDate nextDay(java.time.LocalDate d) {
        return d.plusDays(1);
    }
}
