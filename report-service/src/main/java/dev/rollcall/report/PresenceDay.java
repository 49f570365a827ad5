package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A site's attendance on one local day: per employee who arrived that day, arrival, departure, time present and
 * the sessions (an open one up to {@code generatedAt}, or, while a presence agent is silent, up to
 * {@code coverage.presenceUnknownSince}: then nobody is present, those with an open session are unknown); those still present from a session begun on an earlier
 * day (it counts for that day); and the active employees not seen that day at all. {@code hoursInDay} is 23 or
 * 25 when the clocks change. {@code rules}: what the projection computed it with.
 */
public record PresenceDay(RosterSite site, LocalDate date, boolean today, Instant generatedAt, double hoursInDay,
                          List<EmployeeDay> employees, List<Overnight> fromEarlierDay, List<Employee> notSeen,
                          String rules, Coverage coverage) {

    /**
     * One employee's day. {@code left} is null while {@code present} or {@code unknown} (a session open when a
     * presence agent fell silent: whether they are still here is not known); {@code sessions} counts the day's
     * sessions and {@code spans} are they, in time order.
     */
    public record EmployeeDay(Employee employee, Instant arrived, Instant left, boolean present, long presentSeconds,
                              long presentMinutes, int sessions, List<AttendanceSession.Span> spans, boolean unknown) {
    }

    /**
     * Present into this day from a session begun on an earlier one; {@code until} null: still present, or
     * {@code unknown} while a presence agent is silent.
     */
    public record Overnight(Employee employee, Instant since, Instant until, boolean unknown) {
    }

    public int presentNow() {
        return (int) employees.stream().filter(EmployeeDay::present).count();
    }

    /** How many had a session open when presence stopped being known. */
    public int unknownNow() {
        return (int) employees.stream().filter(EmployeeDay::unknown).count();
    }
}
