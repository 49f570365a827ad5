package dev.rollcall.projection.workstation;

import java.time.Duration;
import java.time.Instant;

/**
 * A continuous stretch of working: from a {@code working} report to a {@code stopped} report, or, when no
 * report came for the auto-timeout, to the last {@code working} report plus the timeout.
 *
 * @param lastReportAt the last {@code working} report inside the interval
 * @param reports      how many {@code working} reports it is made of
 */
public record WorkingInterval(Instant start, Instant end, EndedBy endedBy, Instant lastReportAt, int reports) {

    public enum EndedBy {
        STOPPED, TIMEOUT;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static EndedBy fromWire(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public WorkingInterval {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("an interval ends after it starts: " + start + " .. " + end);
        }
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    /** Whether this interval and {@code [from, to]} share an instant. */
    public boolean touches(Instant from, Instant to) {
        return !end.isBefore(from) && !start.isAfter(to);
    }
}
