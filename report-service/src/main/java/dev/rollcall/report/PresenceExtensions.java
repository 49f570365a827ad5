package dev.rollcall.report;

import io.quarkus.qute.TemplateExtension;

/** What the presence pages derive from their reports. The live "now" page's script words them the same way. */
@TemplateExtension
public class PresenceExtensions {

    static Timeline timeline(PresenceDay.EmployeeDay e, PresenceDay report) {
        return Timeline.of(DayAxis.of(report.date(), report.site().zone()), e.spans(), report.generatedAt(),
                Timeline.Words.PRESENT);
    }

    /** {@code left 12:30}, {@code not today · last seen Tue 3 Mar 17:40}, {@code never seen}. */
    static String lastSeen(PresenceNow.Absent a, PresenceNow report) {
        if (a.seenToday()) {
            return a.lastSeen() == null ? "seen today" : "left " + TimeExtensions.hhmm(a.lastSeen(), report.site().zone());
        }
        if (a.lastSeen() == null) {
            return "never seen";
        }
        return "not today · last seen " + TimeExtensions.dayAndTime(a.lastSeen(), report.site().zone(), report.today());
    }

    /** The first arrival of an employee's day, or a return after a break. */
    static String kind(Arrivals.Arrival a) {
        return a.firstOfDay() ? "arrived" : "back";
    }
}
