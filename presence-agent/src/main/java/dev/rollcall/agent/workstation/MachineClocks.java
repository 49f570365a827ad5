package dev.rollcall.agent.workstation;

import com.sun.jna.ptr.LongByReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two monotonic clocks that tell a suspend from a wall-clock step ({@link Observation}). */
public interface MachineClocks {

    /** Stops while the machine sleeps. */
    long awakeNanos();

    /** Runs while the machine sleeps, or {@link Observation#UNKNOWN}. */
    long sinceBootNanos();

    /** Linux: CLOCK_MONOTONIC ({@link System#nanoTime()}) and CLOCK_BOOTTIME ({@code /proc/uptime}). */
    MachineClocks LINUX = new MachineClocks() {
        @Override
        public long awakeNanos() {
            return System.nanoTime();
        }

        @Override
        public long sinceBootNanos() {
            try {
                return uptimeNanos(Files.readString(Path.of("/proc/uptime")));
            } catch (IOException | RuntimeException e) {
                return Observation.UNKNOWN;
            }
        }
    };

    /** Elsewhere: no clock through suspend, so the wall clock stands in (see {@link ActivityTracker}). */
    MachineClocks AWAKE_ONLY = new MachineClocks() {
        @Override
        public long awakeNanos() {
            return System.nanoTime();
        }

        @Override
        public long sinceBootNanos() {
            return Observation.UNKNOWN;
        }
    };

    /** {@code /proc/uptime}'s first field, seconds with two decimals, in nanoseconds. */
    static long uptimeNanos(String procUptime) {
        String first = procUptime.strip().split("\\s+")[0];
        return new java.math.BigDecimal(first).movePointRight(9).longValueExact();
    }

    /** Windows: QueryUnbiasedInterruptTime (without sleep) and GetTickCount64 (with it). */
    static MachineClocks windows() {
        return windows(Windows.kernel32(), System::nanoTime);
    }

    /**
     * Both clocks count from boot, in their own units: interrupt time in 100 ns, ticks in ms. Only differences of
     * each are compared ({@link Observation}), so each must keep its own base for the whole run: a failed
     * {@code QueryUnbiasedInterruptTime} (documented only for a bad pointer) continues from its last value by
     * {@code nanoTime}, never switches to {@code nanoTime}'s base (that would look like a leap of days). If it
     * fails at start, the awake clock is {@code nanoTime} and there is no clock through sleep, as elsewhere.
     */
    static MachineClocks windows(Windows.Kernel32 k, java.util.function.LongSupplier nanoTime) {
        LongByReference first = new LongByReference();
        if (!k.QueryUnbiasedInterruptTime(first)) {
            return new MachineClocks() {
                @Override
                public long awakeNanos() {
                    return nanoTime.getAsLong();
                }

                @Override
                public long sinceBootNanos() {
                    return Observation.UNKNOWN;
                }
            };
        }
        return new MachineClocks() {
            private final LongByReference unbiased = new LongByReference();
            private long lastAwake = first.getValue() * 100;
            private long lastNano = nanoTime.getAsLong();

            @Override
            public synchronized long awakeNanos() {
                long nano = nanoTime.getAsLong();
                lastAwake = k.QueryUnbiasedInterruptTime(unbiased) ? unbiased.getValue() * 100 : lastAwake + (nano - lastNano);
                lastNano = nano;
                return lastAwake;
            }

            @Override
            public long sinceBootNanos() {
                return k.GetTickCount64() * 1_000_000;
            }
        };
    }
}
