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
        Windows.Kernel32 k = Windows.kernel32();
        return new MachineClocks() {
            private final LongByReference unbiased = new LongByReference();

            @Override
            public synchronized long awakeNanos() {
                return k.QueryUnbiasedInterruptTime(unbiased) ? unbiased.getValue() * 100 : System.nanoTime();
            }

            @Override
            public long sinceBootNanos() {
                return k.GetTickCount64() * 1_000_000;
            }
        };
    }
}
