package dev.rollcall.report;

import java.time.Instant;
import java.util.Collection;

/**
 * A user-day's working time and real work hours (whole 40-minute blocks of continuous working), with the
 * start of its first working interval and the end of its last.
 */
public record WorkingTime(long seconds, int realWorkBlocks, Instant firstWorkAt, Instant lastWorkAt) {

    public static final WorkingTime NONE = new WorkingTime(0, 0, null, null);

    /**
     * The day's stored sums made true at {@code now}. projection-service sums each running interval with its
     * provisional end (last report + auto-timeout); this takes that future part away again, recounts the
     * interval's blocks up to now, and ends the day's work now. Intervals that are not running change nothing.
     *
     * @param intervals the day's intervals (all, or only the running ones)
     */
    public static WorkingTime asOf(WorkingTime stored, Collection<WorkingInterval> intervals, Instant now) {
        long seconds = stored.seconds;
        int blocks = stored.realWorkBlocks;
        Instant lastWorkAt = stored.lastWorkAt;
        for (WorkingInterval i : intervals) {
            if (!i.isRunningAt(now)) {
                continue;
            }
            seconds -= i.provisionalSecondsAsOf(now);
            blocks += i.realWorkBlocksAsOf(now) - i.realWorkBlocks();
            // the stored last end is this interval's provisional end, unless another interval ends later
            if (lastWorkAt == null || !lastWorkAt.isAfter(i.end())) {
                lastWorkAt = i.endAsOf(now);
            }
        }
        return new WorkingTime(Math.max(0, seconds), Math.max(0, blocks), stored.firstWorkAt, lastWorkAt);
    }

    /** Whole minutes of working. */
    public long minutes() {
        return seconds / 60;
    }
}
