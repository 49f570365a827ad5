package dev.rollcall.report;

import io.quarkus.qute.TemplateExtension;

import java.util.List;
import java.util.Locale;

/** What the pages derive from the reports: timelines, labels, links. */
@TemplateExtension
public class ReportExtensions {

    /** An SVG coordinate in percent; always a dot for the decimals, whatever the server's locale. */
    static String pct(double percent) {
        return String.format(Locale.ROOT, "%.3f%%", percent);
    }

    /** A month heatmap's shade for this much time: {@code heat-0} (none) to {@code heat-5} (8 h or more). */
    static String heat(long seconds) {
        return MonthHeat.cssClass(seconds);
    }

    /** A value for a link's query string (the page then escapes the link for HTML as usual). */
    static String urlEncode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    static Timeline timeline(WorkstationReport.UserActivity user, WorkstationReport report) {
        return Timeline.of(DayAxis.of(report.date(), report.zone()), user.intervals(), report.generatedAt(),
                Timeline.Words.WORKING, (ReportedInterval i) -> " · " + i.realWorkBlocks() + " real work "
                        + (i.realWorkBlocks() == 1 ? "hour" : "hours"));
    }

    /** True for a time on a later local day than {@code day}: the end of an interval that crossed midnight. */
    static boolean afterDay(java.time.Instant t, java.time.LocalDate day, java.time.ZoneId zone) {
        return t.atZone(zone).toLocalDate().isAfter(day);
    }

    /** The first and last hour labels sit inside the axis, the others centred on their mark. */
    static String anchor(DayAxis.HourTick tick) {
        return tick.percent() <= 0 ? "start" : tick.percent() >= 100 ? "end" : "middle";
    }

    /**
     * The state to show: a user whose last report said {@code working} but whose last interval has timed out
     * (the agent went quiet) is not working any more.
     */
    static String stateLabel(WorkstationReport.UserActivity user) {
        if (user.running()) {
            return "working";
        }
        List<ReportedInterval> intervals = user.intervals();
        if ("working".equals(user.currentState()) && !intervals.isEmpty()
                && WorkingInterval.ENDED_BY_TIMEOUT.equals(intervals.getLast().endedBy())) {
            return "timed out";
        }
        return user.currentState();
    }

    /** A CSS class name for {@link #stateLabel}. */
    static String stateClass(WorkstationReport.UserActivity user) {
        return "state-" + stateLabel(user).replace(' ', '-');
    }

    /** Said under a day's title when the clocks change that day. */
    static String dayLength(double hoursInDay) {
        if (hoursInDay == 24) {
            return "";
        }
        String hours = hoursInDay == Math.rint(hoursInDay) ? Long.toString((long) hoursInDay) : Double.toString(hoursInDay);
        return "This day has " + hours + " hours: the clocks " + (hoursInDay < 24 ? "went forward." : "went back.");
    }

    static boolean week(ReportRange range) {
        return range.kind() == ReportRange.Kind.WEEK;
    }

    /** The page of a range: {@code week} or {@code month}. */
    static String path(ReportRange range) {
        return range.kind() == ReportRange.Kind.MONTH ? "month" : range.kind() == ReportRange.Kind.WEEK ? "week" : "day";
    }

    /** The query that names a range on its page: {@code date=2026-03-23} or {@code month=2026-03}. */
    static String query(ReportRange range) {
        return range.kind() == ReportRange.Kind.MONTH ? "month=" + TimeExtensions.yearMonth(range.from())
                : "date=" + range.from();
    }

    static String title(ReportRange range) {
        return switch (range.kind()) {
            case WEEK -> "Week " + range.weekNumber();
            case MONTH -> TimeExtensions.monthYear(range.from());
            default -> TimeExtensions.longDate(range.from());
        };
    }

    /** {@code 23 – 29 March 2026}, {@code 29 December 2025 – 4 January 2026}. */
    static String dates(ReportRange range) {
        if (range.from().getYear() != range.to().getYear()) {
            return TimeExtensions.dayMonthYear(range.from()) + " – " + TimeExtensions.dayMonthYear(range.to());
        }
        if (range.from().getMonth() != range.to().getMonth()) {
            return range.from().getDayOfMonth() + " " + range.from().getMonth().getDisplayName(
                    java.time.format.TextStyle.FULL, Locale.UK) + " – " + TimeExtensions.dayMonthYear(range.to());
        }
        return range.from().getDayOfMonth() + " – " + TimeExtensions.dayMonthYear(range.to());
    }
}
