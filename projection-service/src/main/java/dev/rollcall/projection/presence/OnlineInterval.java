package dev.rollcall.projection.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A device was online from {@code start} to {@code end}; {@code end} null: it still is (as far as the events
 * folded so far say).
 *
 * @param endedBy what ended it: an offline change, or a heartbeat of the scanning agent that no longer listed
 *                the device (its offline change was lost); null while open
 */
public record OnlineInterval(Instant start, Instant end, EndedBy endedBy) {

    public enum EndedBy {
        OFFLINE, HEARTBEAT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static EndedBy fromWire(String s) {
            return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public OnlineInterval {
        Objects.requireNonNull(start, "start");
        if ((end == null) != (endedBy == null)) {
            throw new IllegalArgumentException("an interval has an end exactly when something ended it");
        }
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("an interval ends after it starts: " + start + " .. " + end);
        }
    }

    public static OnlineInterval open(Instant start) {
        return new OnlineInterval(start, null, null);
    }

    public boolean isOpen() {
        return end == null;
    }

    /** Null while open. */
    public Duration length() {
        return end == null ? null : Duration.between(start, end);
    }
}
