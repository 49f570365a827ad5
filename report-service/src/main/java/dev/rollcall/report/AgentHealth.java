package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent's health from its last heartbeat (sent every 5 minutes), judged against the clock when it is shown,
 * never stored: HEALTHY under 350 s, DEGRADED up to 700 s, OFFLINE beyond, UNKNOWN with no heartbeat ever
 * (the thresholds are {@code report.agents.healthy-under} and {@code report.agents.offline-after}).
 */
public enum AgentHealth {
    HEALTHY, DEGRADED, OFFLINE, UNKNOWN;

    static final Duration HEALTHY_UNDER = Duration.ofSeconds(350);
    static final Duration DEGRADED_UP_TO = Duration.ofSeconds(700);

    /** HEALTHY while the last heartbeat is younger than {@code healthyUnder}; OFFLINE once older than {@code offlineAfter}. */
    public record Thresholds(Duration healthyUnder, Duration offlineAfter) {
        public static final Thresholds DEFAULT = new Thresholds(HEALTHY_UNDER, DEGRADED_UP_TO);

        public Thresholds {
            if (!healthyUnder.isPositive() || offlineAfter.compareTo(healthyUnder) < 0) {
                throw new IllegalArgumentException("agent health thresholds: 0 < healthy-under <= offline-after, not "
                        + healthyUnder + " and " + offlineAfter);
            }
        }
    }

    public static AgentHealth of(Instant lastHeartbeat, Instant now) {
        return of(lastHeartbeat, now, Thresholds.DEFAULT);
    }

    public static AgentHealth of(Instant lastHeartbeat, Instant now, Thresholds thresholds) {
        if (lastHeartbeat == null) {
            return UNKNOWN;
        }
        Duration age = Duration.between(lastHeartbeat, now);
        if (age.compareTo(thresholds.healthyUnder()) < 0) {
            return HEALTHY; // includes a heartbeat slightly ahead of this clock (skew)
        }
        return age.compareTo(thresholds.offlineAfter()) <= 0 ? DEGRADED : OFFLINE;
    }

    /** For the badge's CSS class. */
    public String css() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
