package dev.rollcall.projection.presence;

import java.time.Instant;
import java.util.Objects;

/**
 * A stretch in which one device of an employee was online while it was assigned to them; {@code end} null: it
 * still is.
 */
public record PresenceSpan(Instant start, Instant end) {

    public PresenceSpan {
        Objects.requireNonNull(start, "start");
        if (end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("a span ends after it starts: " + start + " .. " + end);
        }
    }
}
