package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A row of {@code attendance_session}: an employee present at a site from {@code start} to {@code end}, while
 * any of their devices was online (gaps shorter than the site's grace period bridged). It belongs to the
 * site-local date it started on. {@code end} null: still present, so a report counts it up to now.
 */
public record AttendanceSession(String employeeId, LocalDate date, Instant start, Instant end) {

    public boolean open() {
        return end == null;
    }

    /**
     * Whether this session makes its employee present at {@code t}: it is open, or {@code t} lies between its start
     * and its end plus the grace period. A phone that went offline less than the grace period ago may still come
     * back into this very session (the projection bridges gaps up to the grace period), so its owner is not gone
     * until the grace period has passed. An end after {@code t} (a clock behind the agents') is a session going on.
     */
    public boolean presentAt(Instant t, Duration grace) {
        return end == null || (!start.isAfter(t) && !t.isAfter(end.plus(grace)));
    }

    /** The end, or now while it is open (never before its start, should a clock run behind). */
    public Instant endAsOf(Instant now) {
        if (end != null) {
            return end;
        }
        return now.isBefore(start) ? start : now;
    }

    public long secondsAsOf(Instant now) {
        return Duration.between(start, endAsOf(now)).toSeconds();
    }

    public Span asOf(Instant now) {
        return new Span(start, endAsOf(now), open(), secondsAsOf(now));
    }

    /** A session as a report shows it: an open one ends now and is running. */
    public record Span(Instant start, Instant end, boolean running, long seconds) implements TimeSpan {
    }
}
