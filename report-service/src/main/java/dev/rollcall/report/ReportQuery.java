package dev.rollcall.report;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a caller may ask of a report, for the pages and the APIs alike. Every rule breaks with an
 * {@link InvalidQueryException} whose message says how to fix the request.
 */
final class ReportQuery {

    /** A year, leap or not, is the most one request may cover: it bounds the work of a single query. */
    static final int MAX_DAYS = 366;
    static final int MAX_USERNAME_LENGTH = 256;

    private static final Pattern SITE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final int FIRST_YEAR = 2000;

    private ReportQuery() {
    }

    static Site site(String site, ReportConfig config) {
        if (site == null || site.isBlank()) {
            return new Site(config.site(), config.zoneOf(config.site()));
        }
        if (!SITE.matcher(site).matches()) {
            throw new InvalidQueryException("site must be a site id: lowercase letters, digits and '-'");
        }
        return new Site(site, config.zoneOf(site));
    }

    /** {@code value} as a date, or {@code today} when it is absent or blank. */
    static LocalDate dateOrToday(String name, String value, LocalDate today) {
        return value == null || value.isBlank() ? today : date(name, value, today);
    }

    static LocalDate date(String name, String value, LocalDate today) {
        String v = value.strip();
        try {
            if (!DATE.matcher(v).matches()) {
                throw new DateTimeParseException("not YYYY-MM-DD", v, 0);
            }
            return inRange(name, LocalDate.parse(v), today);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(name + " must be YYYY-MM-DD, got '" + shortened(value) + "'");
        }
    }

    /** {@code value} as a month, or today's month when it is absent or blank. */
    static YearMonth monthOrThisMonth(String value, LocalDate today) {
        if (value == null || value.isBlank()) {
            return YearMonth.from(today);
        }
        String v = value.strip();
        try {
            if (!MONTH.matcher(v).matches()) {
                throw new DateTimeParseException("not YYYY-MM", v, 0);
            }
            YearMonth m = YearMonth.parse(v);
            inRange("month", m.atDay(1), today);
            return m;
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException("month must be YYYY-MM, got '" + shortened(value) + "'");
        }
    }

    /** The month page's range: {@code month=YYYY-MM}, else the month of {@code date}, else this month. */
    static ReportRange month(String month, String date, LocalDate today) {
        if ((month == null || month.isBlank()) && date != null && !date.isBlank()) {
            return ReportRange.month(YearMonth.from(date("date", date, today)));
        }
        return ReportRange.month(monthOrThisMonth(month, today));
    }

    /**
     * The work-tracing API's {@code start_date} and {@code end_date}: {@code end_date} defaults to
     * {@code start_date}, {@code start_date} to today; an end needs a start.
     */
    static ReportRange span(String startDate, String endDate, LocalDate today) {
        boolean hasStart = startDate != null && !startDate.isBlank();
        boolean hasEnd = endDate != null && !endDate.isBlank();
        if (hasEnd && !hasStart) {
            throw new InvalidQueryException("end_date needs a start_date");
        }
        LocalDate start = hasStart ? date("start_date", startDate, today) : today;
        LocalDate end = hasEnd ? date("end_date", endDate, today) : start;
        if (end.isBefore(start)) {
            throw new InvalidQueryException("end_date " + end + " is before start_date " + start);
        }
        ReportRange range = ReportRange.span(start, end);
        if (range.length() > MAX_DAYS) {
            throw new InvalidQueryException("the range " + start + " to " + end + " is " + range.length()
                    + " days, over a year; ask for at most " + MAX_DAYS + " days at a time");
        }
        return range;
    }

    /** An exact username, or empty for everyone. */
    static Optional<String> username(String username) {
        if (username == null) {
            return Optional.empty();
        }
        if (username.isBlank()) {
            throw new InvalidQueryException("username must not be blank; leave it out for all users");
        }
        if (username.length() > MAX_USERNAME_LENGTH) {
            throw new InvalidQueryException("username is longer than " + MAX_USERNAME_LENGTH + " characters");
        }
        return Optional.of(username);
    }

    private static LocalDate inRange(String name, LocalDate d, LocalDate today) {
        if (d.getYear() < FIRST_YEAR || d.isAfter(today.plusYears(1))) {
            throw new InvalidQueryException(name + " " + d + " is out of range");
        }
        return d;
    }

    private static String shortened(String value) {
        return value.length() > 20 ? value.substring(0, 20) + "…" : value;
    }
}
