package dev.rollcall.agent.workstation;

import java.time.Duration;
import java.time.Instant;

/**
 * One poll of the workstation: the clocks and what the OS says about input and the screen.
 *
 * @param wall         the wall clock (dates the events; may jump)
 * @param awakeNanos   a monotonic clock that stops while the machine is suspended (Linux CLOCK_MONOTONIC,
 *                     Windows QueryUnbiasedInterruptTime)
 * @param sinceBootNanos a monotonic clock that keeps running while suspended (Linux /proc/uptime, Windows
 *                     GetTickCount64), or -1 when the OS gives none
 * @param idle         time since the last keyboard or mouse input, or {@code null} when it could not be read
 * @param locked       the session's screen is locked
 */
public record Observation(Instant wall, long awakeNanos, long sinceBootNanos, Duration idle, boolean locked) {

    public static final long UNKNOWN = -1;

    public boolean readable() {
        return idle != null;
    }
}
