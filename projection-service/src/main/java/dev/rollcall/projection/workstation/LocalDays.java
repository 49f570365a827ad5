package dev.rollcall.projection.workstation;

import java.time.Instant;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The local date (as an epoch day) of instants in one zone, as {@code t.atZone(zone).toLocalDate()} gives it, for a
 * stream of instants that mostly stay on one day: it remembers the stretch of seconds around the last instant that
 * has the same date and offset, and answers from it without looking the zone up. A bulk load asks for a million.
 * Not thread-safe.
 */
public final class LocalDays {

    private static final long SECONDS_PER_DAY = 86_400;

    private final ZoneRules zone;
    /** The stretch remembered: seconds since the epoch in [from, to) are on {@code day}. */
    private long from = 1;
    private long to = 0;
    private long day;

    public LocalDays(ZoneRules zone) {
        this.zone = zone;
    }

    /** The local date of {@code t}, as days since 1970-01-01. */
    public long epochDay(Instant t) {
        long s = t.getEpochSecond();
        if (s >= from && s < to) {
            return day;
        }
        // offsets change on whole seconds: the second's offset is the instant's
        Instant second = Instant.ofEpochSecond(s);
        int offset = zone.getOffset(second).getTotalSeconds();
        day = Math.floorDiv(s + offset, SECONDS_PER_DAY);
        from = day * SECONDS_PER_DAY - offset;
        to = from + SECONDS_PER_DAY;
        if (!zone.isFixedOffset()) {
            ZoneOffsetTransition before = zone.previousTransition(Instant.ofEpochSecond(s + 1)); // at or before s
            ZoneOffsetTransition after = zone.nextTransition(second); // after s
            if (before != null) {
                from = Math.max(from, before.toEpochSecond());
            }
            if (after != null) {
                to = Math.min(to, after.toEpochSecond());
            }
        }
        return day;
    }
}
