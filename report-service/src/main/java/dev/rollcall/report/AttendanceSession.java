package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A row of {@code attendance_session}: an employee present at a site from {@code start} to {@code end}, while
 * any of their devices was online (gaps shorter than the site's grace period bridged). It belongs to the
 * site-local date it started on. {@code end} null: still present, so a report counts it up to now, or up to when
 * presence stopped being known while a presence agent is silent ({@link Coverage#presenceKnownUntil}).
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
        return asOf(now, now);
    }

    /**
     * As a report shows it with presence known up to {@code knownUntil} ({@link Coverage#presenceKnownUntil}): an
     * open one ends there, and is running only while presence is known up to now; else what followed is unknown.
     */
    public Span asOf(Instant now, Instant knownUntil) {
        boolean unknown = open() && knownUntil.isBefore(now);
        return new Span(start, endAsOf(knownUntil), open() && !unknown, secondsAsOf(knownUntil), unknown);
    }

    /**
     * A session as a report shows it: an open one ends now and is running; or, while a presence agent is silent, it
     * ends when presence stopped being known and {@code unknownAfter}: whether it went on is not known.
     */
    public record Span(Instant start, Instant end, boolean running, long seconds, boolean unknownAfter) implements TimeSpan {
    }
}
