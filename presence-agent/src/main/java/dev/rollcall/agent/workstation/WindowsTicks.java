package dev.rollcall.agent.workstation;

import java.time.Duration;

/**
 * {@code GetLastInputInfo} gives the tick (milliseconds since boot, a 32-bit DWORD) of the last input, and
 * {@code GetTickCount} the tick now; both wrap to 0 every 2^32 ms, 49.7 days. The idle time is their difference
 * in unsigned 32-bit arithmetic, which is right across a wrap. A difference of 2^31 or more cannot be a real idle
 * time of a logged-in session measured this way (it means the input came after {@code now} was read): zero.
 */
final class WindowsTicks {

    private static final long HALF = 1L << 31;

    private WindowsTicks() {
    }

    static Duration idle(int tickNow, int lastInputTick) {
        long ms = Integer.toUnsignedLong(tickNow - lastInputTick);
        return Duration.ofMillis(ms >= HALF ? 0 : ms);
    }
}
