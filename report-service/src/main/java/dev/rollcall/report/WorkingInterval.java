package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A row of {@code working_interval} as projection-service wrote it. One ended by timeout whose end is still
 * ahead of now is running: its stored end (last report + auto-timeout) is provisional, so a report shows it
 * as ending now.
 */
public record WorkingInterval(String username, LocalDate localDate, Instant start, Instant end, String endedBy,
                              Instant lastReportAt, int reports, int realWorkBlocks, int blockSeconds) {

    public static final String ENDED_BY_TIMEOUT = "timeout";

    public boolean isRunningAt(Instant now) {
        return ENDED_BY_TIMEOUT.equals(endedBy) && end.isAfter(now);
    }

    /** The stored end, or now while it runs (never before its start, should a clock run behind). */
    public Instant endAsOf(Instant now) {
        if (!isRunningAt(now)) {
            return end;
        }
        return now.isBefore(start) ? start : now;
    }

    public long secondsAsOf(Instant now) {
        return Duration.between(start, endAsOf(now)).toSeconds();
    }

    /** Whole blocks of continuous working so far: the stored count once the interval has ended. */
    public int realWorkBlocksAsOf(Instant now) {
        return isRunningAt(now) ? (int) (secondsAsOf(now) / blockSeconds) : realWorkBlocks;
    }

    /** The part of the stored duration that has not happened yet: zero once the interval has ended. */
    long provisionalSecondsAsOf(Instant now) {
        return Duration.between(endAsOf(now), end).toSeconds();
    }

    public ReportedInterval asOf(Instant now) {
        return new ReportedInterval(start, endAsOf(now), endedBy, isRunningAt(now), secondsAsOf(now),
                realWorkBlocksAsOf(now));
    }
}
