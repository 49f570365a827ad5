package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.stream.Stream;

/**
 * A row of {@code attendance_day}: an employee's site-local day, first arrival, last departure ({@code left}
 * null: still present), minutes present and number of sessions, as projection-service folded them.
 */
public record AttendanceDay(String employeeId, LocalDate date, Instant arrived, Instant left, int minutesPresent,
                            int sessions) {

    /**
     * The time present made true at {@code now}. The projection's minutes cannot hold an open session up to now
     * (they leave it out, or count it up to when the day was folded); so a day with an open session is summed
     * again from its sessions, the open one up to now. A day without one keeps the projection's number. While a
     * presence agent is silent, pass {@link Coverage#presenceKnownUntil} as {@code now}: nobody observed the rest.
     *
     * @param sessions sessions of this day (other employees' and days' are ignored)
     */
    public long presentSecondsAsOf(Collection<AttendanceSession> sessions, Instant now) {
        if (own(sessions).noneMatch(AttendanceSession::open)) {
            return minutesPresent * 60L;
        }
        return own(sessions).mapToLong(s -> s.secondsAsOf(now)).sum();
    }

    /** Still present: no departure yet, or a session of the day still open. */
    public boolean presentIn(Collection<AttendanceSession> sessions) {
        return left == null || own(sessions).anyMatch(AttendanceSession::open);
    }

    private Stream<AttendanceSession> own(Collection<AttendanceSession> sessions) {
        return sessions.stream().filter(s -> s.employeeId().equals(employeeId) && s.date().equals(date));
    }
}
