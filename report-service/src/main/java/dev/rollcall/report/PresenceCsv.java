package dev.rollcall.report;

import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The presence pages' tables as CSV, with the columns the pages show: employees as the pages name them, times
 * in the site's zone with their offset, time present in whole minutes.
 */
final class PresenceCsv {

    /**
     * {@code incomplete}: a presence agent of the site was down for part of the day, so presence then is unknown:
     * arrived, left and minutes are what was observed, not a short day. {@code still_present} is {@code unknown} for a
     * session open when a presence agent fell silent (its minutes counted up to then).
     */
    static final String DAY_HEADER = "employee,date,arrived,left,present_minutes,sessions,still_present,incomplete";

    /** What {@code still_present} says while a presence agent is silent: neither present nor gone. */
    static final String UNKNOWN = "unknown";

    private PresenceCsv() {
    }

    /** {@code rollcall-presence-hq-2026-03-10.csv}: one row per employee present that day. */
    static Response day(PresenceDay report) {
        Csv csv = Csv.withHeader((Object[]) DAY_HEADER.split(","));
        for (PresenceDay.EmployeeDay e : report.employees()) {
            csv.row(e.employee().label(), report.date(), local(e.arrived(), report.site().zone()),
                    local(e.left(), report.site().zone()), e.presentMinutes(), e.sessions(), e.unknown() ? UNKNOWN : e.present(),
                    report.coverage().isIncomplete());
        }
        return csv.download("rollcall-presence-" + report.site().id() + "-" + report.date() + ".csv");
    }

    /**
     * {@code rollcall-presence-hq-2026-03.csv}: the grid, one row per employee, a column of minutes per day
     * (empty: not present), then the month's minutes and days present.
     */
    static Response month(PresenceMonth report) {
        Object[] header = new Object[report.days().size() + 3];
        header[0] = "employee";
        for (int i = 0; i < report.days().size(); i++) {
            header[i + 1] = report.days().get(i);
        }
        header[header.length - 2] = "total_minutes";
        header[header.length - 1] = "days_present";
        Csv csv = Csv.withHeader(header);
        for (PresenceMonth.EmployeeRow e : report.employees()) {
            Object[] row = new Object[header.length];
            row[0] = e.employee().label();
            for (int i = 0; i < e.days().size(); i++) {
                PresenceMonth.Cell c = e.days().get(i);
                row[i + 1] = c == null ? null : c.presentMinutes();
            }
            row[row.length - 2] = e.presentMinutes();
            row[row.length - 1] = e.daysPresent();
            csv.row(row);
        }
        if (report.coverage().isIncomplete()) {
            // the days on which a presence agent was down: presence then is unknown, not absent
            Object[] row = new Object[header.length];
            row[0] = "incomplete (agent down)";
            for (int i = 0; i < report.days().size(); i++) {
                row[i + 1] = report.coverage().incompleteOn(report.days().get(i)) ? "incomplete" : null;
            }
            csv.row(row);
        }
        return csv.download("rollcall-presence-" + report.site().id() + "-" + report.range().label() + ".csv");
    }

    /**
     * {@code state}: {@code present} (a device online, or the last one offline for less than the grace period:
     * {@code offline_since}), {@code absent}, or {@code unknown} (a presence agent is silent since
     * {@code unknown_since}: {@code since} then says they were present at that time, and the minutes are counted up
     * to it). {@code present_minutes_today}: empty when not seen today.
     */
    static final String NOW_HEADER = "employee,state,since,offline_since,arrived_today,present_minutes_today,last_seen,devices,unknown_since";

    /** {@code rollcall-now-hq-2026-03-10.csv}: the now page's rows, present, then not here, then unknown. */
    static Response now(PresenceNow report) {
        ZoneId zone = report.site().zone();
        Csv csv = Csv.withHeader((Object[]) NOW_HEADER.split(","));
        for (PresenceNow.Present p : report.present()) {
            csv.row(p.employee().label(), "present", local(p.since(), zone), local(p.offlineSince(), zone),
                    local(p.arrivedToday(), zone), p.arrivedToday() == null ? null : p.todaySeconds() / 60, null, null, null);
        }
        for (PresenceNow.Absent a : report.absent()) {
            csv.row(a.employee().label(), "absent", null, null, null, null, local(a.lastSeen(), zone), a.devices(), null);
        }
        for (PresenceNow.Unknown u : report.unknown()) {
            csv.row(u.employee().label(), "unknown", local(u.presentSince(), zone), null, local(u.arrivedToday(), zone),
                    u.arrivedToday() == null ? null : u.todaySeconds() / 60, u.presentSince() == null ? local(u.lastSeen(), zone) : null,
                    u.devices(), local(report.unknownSince(), zone));
        }
        return csv.download("rollcall-now-" + report.site().id() + "-" + report.today() + ".csv");
    }

    static final String ARRIVALS_HEADER = "employee,date,arrived,kind,left,still_present";

    /** {@code rollcall-arrivals-hq-2026-03-10.csv}: today's arrivals, then the earlier ones, newest first, as the page lists them. */
    static Response arrivals(Arrivals report) {
        Csv csv = Csv.withHeader((Object[]) ARRIVALS_HEADER.split(","));
        for (java.util.List<Arrivals.Arrival> list : java.util.List.of(report.todays(), report.earlier())) {
            for (Arrivals.Arrival a : list) {
                csv.row(a.employee().label(), a.date(), local(a.at(), report.site().zone()), a.firstOfDay() ? "arrived" : "back",
                        local(a.left(), report.site().zone()), a.unknown() ? UNKNOWN : a.present());
            }
        }
        return csv.download("rollcall-arrivals-" + report.site().id() + "-" + report.today() + ".csv");
    }

    /** {@code 2026-03-10T08:02:00+01:00}: the local time a page shows, and unambiguous. */
    static String local(Instant t, ZoneId zone) {
        return t == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone).withNano(0));
    }
}
