package dev.rollcall.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token buckets behind enrollment's 429s, on a clock the test moves. */
class EnrollmentThrottleTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void anAddressGetsItsLimitThenWaitsForATokenToComeBack() {
        EnrollmentThrottle t = new EnrollmentThrottle(3, 100, Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertThat(t.tryAcquire("10.0.0.1", 0)).isEmpty();
        }
        Optional<Duration> wait = t.tryAcquire("10.0.0.1", 0);
        assertThat(wait).contains(Duration.ofSeconds(20));            // one of 3 tokens per minute
        assertThat(t.tryAcquire("10.0.0.2", 0)).as("another address is not held up").isEmpty();
        assertThat(t.tryAcquire("10.0.0.1", 10 * SECOND)).contains(Duration.ofSeconds(10));
        assertThat(t.tryAcquire("10.0.0.1", 20 * SECOND)).isEmpty();
        assertThat(t.tryAcquire("10.0.0.1", 20 * SECOND)).isPresent();
    }

    @Test
    void everyoneTogetherHasALimitToo() {
        EnrollmentThrottle t = new EnrollmentThrottle(10, 4, Duration.ofMinutes(1));
        for (int i = 0; i < 4; i++) {
            assertThat(t.tryAcquire("10.0.1." + i, 0)).isEmpty();
        }
        assertThat(t.tryAcquire("10.0.1.99", 0)).as("a fresh address, but the overall bucket is empty")
                .contains(Duration.ofSeconds(15));
        assertThat(t.tryAcquire("10.0.1.99", 15 * SECOND)).isEmpty();
    }

    @Test
    void aRefusedAttemptCostsNothingAndIdleBucketsDoNotOverfill() {
        EnrollmentThrottle t = new EnrollmentThrottle(2, 100, Duration.ofSeconds(10));
        assertThat(t.tryAcquire("a", 0)).isEmpty();
        assertThat(t.tryAcquire("a", 0)).isEmpty();
        for (int i = 0; i < 50; i++) {
            assertThat(t.tryAcquire("a", 0)).isPresent();
        }
        assertThat(t.tryAcquire("a", 5 * SECOND)).as("refusals took no tokens: one is back after 5 s").isEmpty();
        // an hour idle refills to the limit, not beyond
        assertThat(t.tryAcquire("a", 3600 * SECOND)).isEmpty();
        assertThat(t.tryAcquire("a", 3600 * SECOND)).isEmpty();
        assertThat(t.tryAcquire("a", 3600 * SECOND)).isPresent();
    }

    @Test
    void limitsMustMakeSense() {
        assertThatThrownBy(() -> new EnrollmentThrottle(0, 1, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EnrollmentThrottle(1, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
