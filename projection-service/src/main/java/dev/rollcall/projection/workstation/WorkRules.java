package dev.rollcall.projection.workstation;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A site's rules for workstation activity.
 *
 * @param zone          the site's IANA zone: a day is a local date there
 * @param autoTimeout   how long a {@code working} state lasts with no report (the client re-sends every minute)
 * @param realWorkBlock how long a continuous block of working must be to count as one real work hour
 */
public record WorkRules(ZoneId zone, Duration autoTimeout, Duration realWorkBlock) {

    public static final Duration DEFAULT_AUTO_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_REAL_WORK_BLOCK = Duration.ofMinutes(40);

    public WorkRules {
        Objects.requireNonNull(zone, "zone");
        if (autoTimeout.isNegative() || autoTimeout.isZero()) {
            throw new IllegalArgumentException("the auto-timeout must be positive, got " + autoTimeout);
        }
        if (realWorkBlock.toSeconds() < 1) {
            throw new IllegalArgumentException("a real work block must be at least a second, got " + realWorkBlock);
        }
    }

    public static WorkRules defaults(ZoneId zone) {
        return new WorkRules(zone, DEFAULT_AUTO_TIMEOUT, DEFAULT_REAL_WORK_BLOCK);
    }

    /** Real work hours in one interval of working: floor(length / block). Blocks never span two intervals. */
    public int realWorkBlocks(WorkingInterval interval) {
        return (int) (interval.length().toSeconds() / realWorkBlock.toSeconds());
    }
}
