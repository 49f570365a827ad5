package dev.rollcall.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesPerFailureUpToTheCapAndJittersWithinTheUpperHalf() {
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.0);
        Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> 0.999_999);

        assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(high.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(low.delay(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(high.delay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(high.delay(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(high.delay(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(high.delay(10_000)).isEqualTo(Duration.ofMinutes(5));
        assertThat(low.delay(10_000)).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void randomJitterStaysInItsBandAndActuallyVaries() {
        Random random = new Random(42);
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), random::nextDouble);
        long distinct = java.util.stream.IntStream.range(0, 200).mapToObj(i -> b.delay(6)).peek(d ->
                assertThat(d).isBetween(Duration.ofSeconds(16), Duration.ofSeconds(32))).distinct().count();
        assertThat(distinct).as("agents that failed together do not retry together").isGreaterThan(100);
    }

    @Test
    void refusesANonsenseConfiguration() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofMinutes(5), () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(5), () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
