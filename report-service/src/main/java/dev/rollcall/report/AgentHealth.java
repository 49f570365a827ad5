package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent's health from its last heartbeat (sent every 5 minutes), judged against the clock when it is shown,
 * never stored: HEALTHY under 350 s, DEGRADED up to 700 s, OFFLINE beyond, UNKNOWN with no heartbeat ever
 * (the thresholds are {@code report.agents.healthy-under} and {@code report.agents.offline-after}). STOPPED: a
 * workstation agent whose last heartbeat said it was stopping (logoff, shutdown): its silence was chosen, so it is
 * signed off, not failing. A network agent stopped on purpose is judged like any other (presence is unknown all the
 * same). Declared in order of concern, least first: the agents page lists the most worrying first.
 */
public enum AgentHealth {
    HEALTHY, STOPPED, DEGRADED, OFFLINE, UNKNOWN;

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

    /**
     * As {@link #of(Instant, Instant, Thresholds)}, but STOPPED for a workstation agent (one that does not observe
     * presence) whose last heartbeat was its deliberate stop.
     */
    public static AgentHealth of(Instant lastHeartbeat, boolean stopping, boolean presence, Instant now, Thresholds thresholds) {
        return lastHeartbeat != null && stopping && !presence ? STOPPED : of(lastHeartbeat, now, thresholds);
    }

    /** For the badge's CSS class. */
    public String css() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
