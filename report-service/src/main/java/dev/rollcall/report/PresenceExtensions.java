package dev.rollcall.report;

import io.quarkus.qute.TemplateExtension;

/** What the presence pages derive from their reports. The live "now" page's script words them the same way. */
@TemplateExtension
public class PresenceExtensions {

    /** The day's sessions, and the stretches in which a presence agent was down: presence then is unknown. */
    static Timeline timeline(PresenceDay.EmployeeDay e, PresenceDay report) {
        DayAxis axis = DayAxis.of(report.date(), report.site().zone());
        return Timeline.of(axis, e.spans(), report.generatedAt(), Timeline.Words.PRESENT)
                .withUnknown(report.coverage().presenceUnknownWithin(axis.start(), axis.end(), report.generatedAt()),
                        report.generatedAt());
    }

    /** {@code left 12:30}, {@code not today · last seen Tue 3 Mar 17:40}, {@code never seen}. */
    static String lastSeen(PresenceNow.Absent a, PresenceNow report) {
        return lastSeen(a.lastSeen(), a.seenToday(), report);
    }

    /**
     * What was known of someone when the presence agent fell silent: {@code present since 08:10}, else as
     * {@link #lastSeen(PresenceNow.Absent, PresenceNow)}.
     */
    static String lastKnown(PresenceNow.Unknown u, PresenceNow report) {
        if (u.presentSince() != null) {
            return "present since " + TimeExtensions.dayAndTime(u.presentSince(), report.site().zone(), report.today());
        }
        return lastSeen(u.lastSeen(), u.seenToday(), report);
    }

    /** {@code presence agent net-1 has been silent since 11:00}; several: {@code presence agents a, b have been …}. */
    static String silence(PresenceNow report) {
        if (report.unknownSince() == null) {
            return "";
        }
        boolean one = report.silentAgents().size() == 1;
        return (one ? "presence agent " : "presence agents ") + String.join(", ", report.silentAgents())
                + (one ? " has" : " have") + " been silent since "
                + TimeExtensions.dayAndTime(report.unknownSince(), report.site().zone(), report.today());
    }

    private static String lastSeen(java.time.Instant lastSeen, boolean seenToday, PresenceNow report) {
        if (seenToday) {
            return lastSeen == null ? "seen today" : "left " + TimeExtensions.hhmm(lastSeen, report.site().zone());
        }
        if (lastSeen == null) {
            return "never seen";
        }
        return "not today · last seen " + TimeExtensions.dayAndTime(lastSeen, report.site().zone(), report.today());
    }

    /** The first arrival of an employee's day, or a return after a break. */
    static String kind(Arrivals.Arrival a) {
        return a.firstOfDay() ? "arrived" : "back";
    }
}
