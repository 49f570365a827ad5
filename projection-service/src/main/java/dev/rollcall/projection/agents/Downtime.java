package dev.rollcall.projection.agents;

import java.time.Duration;
import java.time.Instant;

/**
 * A stretch in which an agent was not observing: presence of its site is unknown then, not absent.
 *
 * @param cause {@code GAP}: no heartbeat for longer than the offline threshold (from the last heartbeat before to
 *              the first after); {@code REPORTED}: the agent said so itself after a restart
 */
public record Downtime(Instant start, Instant end, Cause cause) {

    public enum Cause { GAP, REPORTED }

    public Downtime {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a downtime ends after it starts: " + start + " .. " + end);
        }
    }

    public Duration length() {
        return Duration.between(start, end);
    }
}
