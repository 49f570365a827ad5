package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent's health from its last heartbeat (sent every 5 minutes), judged against the clock when it is shown,
 * never stored: HEALTHY under 350 s, DEGRADED up to 700 s, OFFLINE beyond, UNKNOWN with no heartbeat ever.
 */
public enum AgentHealth {
    HEALTHY, DEGRADED, OFFLINE, UNKNOWN;

    static final Duration HEALTHY_UNDER = Duration.ofSeconds(350);
    static final Duration DEGRADED_UP_TO = Duration.ofSeconds(700);

    public static AgentHealth of(Instant lastHeartbeat, Instant now) {
        if (lastHeartbeat == null) {
            return UNKNOWN;
        }
        Duration age = Duration.between(lastHeartbeat, now);
        if (age.compareTo(HEALTHY_UNDER) < 0) {
            return HEALTHY; // includes a heartbeat slightly ahead of this clock (skew)
        }
        return age.compareTo(DEGRADED_UP_TO) <= 0 ? DEGRADED : OFFLINE;
    }
}
