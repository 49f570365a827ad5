package dev.rollcall.agent.workstation;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MachineClocks#windows(Windows.Kernel32, java.util.function.LongSupplier)} with a stand-in kernel32. */
class WindowsClocksTest {

    final WindowsIdleSourceTest.FakeKernel32 kernel32 = new WindowsIdleSourceTest.FakeKernel32();
    final AtomicLong nanoTime = new AtomicLong(987_654_321_000L); // another base than the interrupt time

    @Test
    void interruptTimeIsIn100NanosecondUnitsAndTicksInMilliseconds() {
        kernel32.unbiased100ns = 36_000_000_000L;  // one hour awake, in 100 ns
        kernel32.tick64 = Duration.ofHours(3).toMillis();
        MachineClocks clocks = MachineClocks.windows(kernel32, nanoTime::get);
        assertThat(clocks.awakeNanos()).isEqualTo(Duration.ofHours(1).toNanos());
        assertThat(clocks.sinceBootNanos()).isEqualTo(Duration.ofHours(3).toNanos());
    }

    @Test
    void aSleepMovesTheBootClockAndNotTheAwakeOne() {
        kernel32.unbiased100ns = 10_000_000L;      // 1 s
        kernel32.tick64 = 1_000;
        MachineClocks clocks = MachineClocks.windows(kernel32, nanoTime::get);
        long awake0 = clocks.awakeNanos();
        long boot0 = clocks.sinceBootNanos();
        kernel32.unbiased100ns += 600_000_000L;    // 60 s awake
        kernel32.tick64 += 60_000 + 3_600_000;     // and an hour asleep
        assertThat(clocks.awakeNanos() - awake0).isEqualTo(Duration.ofSeconds(60).toNanos());
        assertThat(clocks.sinceBootNanos() - boot0).isEqualTo(Duration.ofSeconds(3660).toNanos());
    }

    @Test
    void aFailedReadContinuesInTheSameBaseInsteadOfJumpingToNanoTime() {
        kernel32.unbiased100ns = 50_000_000L;      // 5 s
        MachineClocks clocks = MachineClocks.windows(kernel32, nanoTime::get);
        assertThat(clocks.awakeNanos()).isEqualTo(5_000_000_000L);
        kernel32.unbiased100ns = null;             // the call fails once
        nanoTime.addAndGet(2_000_000_000L);
        assertThat(clocks.awakeNanos()).as("5 s + the 2 s nanoTime moved").isEqualTo(7_000_000_000L);
        kernel32.unbiased100ns = 80_000_000L;      // works again: 8 s
        nanoTime.addAndGet(1_000_000_000L);
        assertThat(clocks.awakeNanos()).isEqualTo(8_000_000_000L);
    }

    @Test
    void withoutInterruptTimeAtStartTheAwakeClockIsNanoTimeAndNoClockRunsThroughSleep() {
        kernel32.unbiased100ns = null;
        kernel32.tick64 = 123;
        MachineClocks clocks = MachineClocks.windows(kernel32, nanoTime::get);
        assertThat(clocks.awakeNanos()).isEqualTo(nanoTime.get());
        assertThat(clocks.sinceBootNanos()).isEqualTo(Observation.UNKNOWN);
    }
}
