package dev.rollcall.agent.workstation;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** GetLastInputInfo arithmetic: DWORD ticks that wrap every 49.7 days, as Java's signed ints. */
class WindowsTicksTest {

    @Test
    void idleIsTheDifferenceOfTheTicks() {
        assertThat(WindowsTicks.idle(1_000_000, 400_000)).isEqualTo(Duration.ofMinutes(10));
        assertThat(WindowsTicks.idle(5, 5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void acrossTheWrapAt49Point7DaysTheIdleTimeStaysRight() {
        int beforeWrap = (int) 0xFFFF_FF00L;   // 4294967040 ms since boot, 256 ms before the wrap
        int afterWrap = 0x0000_0100;           // 256 ms after it
        assertThat(WindowsTicks.idle(afterWrap, beforeWrap)).isEqualTo(Duration.ofMillis(512));
        // last input at tick 2^32 - 10 min, now 5 min after the wrap: 15 min idle, not -49.7 days
        int lastInput = (int) ((1L << 32) - Duration.ofMinutes(10).toMillis());
        int now = (int) Duration.ofMinutes(5).toMillis();
        assertThat(WindowsTicks.idle(now, lastInput)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void ticksAboveTwoToTheThirtyOneAreUnsignedNotNegative() {
        int now = (int) 3_000_000_000L;        // 34.7 days up: negative as a Java int
        int last = (int) 2_999_400_000L;
        assertThat(now).isNegative();
        assertThat(WindowsTicks.idle(now, last)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void inputNewerThanTheTickReadIsNoIdleRatherThan49Days() {
        assertThat(WindowsTicks.idle(1_000, 1_016)).isEqualTo(Duration.ZERO);
        assertThat(WindowsTicks.idle(0x0000_0005, (int) 0xFFFF_FFF0L)).isEqualTo(Duration.ofMillis(21));
    }
}
