package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;

/**
 * A stretch in which an agent of a site was not observing: what it would have seen then is unknown.
 *
 * @param end      null: still going on (the agent has been silent for longer than the offline threshold)
 * @param cause    {@code gap} (no heartbeat for too long), {@code reported} (the agent said so after a restart),
 *                 {@code silent} (no heartbeat since {@code start}, now), {@code stopped} (the same after a heartbeat saying
 *                 its host stopped it); merged stretches keep the first cause
 * @param presence whether the agent observes presence (a network agent): only its downtimes make attendance unknown
 */
public record AgentDowntime(String agentId, Instant start, Instant end, String cause, boolean presence) {

    public boolean ongoing() {
        return end == null;
    }

    /** Whether it overlaps [from, to). */
    public boolean overlaps(Instant from, Instant to) {
        return start.isBefore(to) && (end == null || end.isAfter(from));
    }

    public Duration lengthAsOf(Instant now) {
        Instant e = end == null ? now : end;
        return e.isAfter(start) ? Duration.between(start, e) : Duration.ZERO;
    }
}
