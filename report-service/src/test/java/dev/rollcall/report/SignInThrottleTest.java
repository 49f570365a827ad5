package dev.rollcall.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SignInThrottleTest {

    static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");

    @Test
    void afterTooManyFailuresAKeyWaitsUntilTheOldestIsOutOfTheWindow() {
        SignInThrottle t = new SignInThrottle(3, Duration.ofMinutes(15));
        t.failed("a", T0);
        t.failed("a", T0.plusSeconds(60));
        assertThat(t.waitFor("a", T0.plusSeconds(61))).isZero();
        t.failed("a", T0.plusSeconds(120));
        assertThat(t.waitFor("a", T0.plusSeconds(180))).isEqualTo(Duration.ofMinutes(12));
        assertThat(t.waitFor("b", T0.plusSeconds(180))).as("other keys are free").isZero();
        // once the first failure is 15 minutes old, one more try is allowed
        assertThat(t.waitFor("a", T0.plus(Duration.ofMinutes(15)))).isZero();
    }

    @Test
    void aSuccessForgetsTheFailures() {
        SignInThrottle t = new SignInThrottle(2, Duration.ofMinutes(15));
        t.failed("a", T0);
        t.succeeded("a");
        t.failed("a", T0.plusSeconds(1));
        assertThat(t.waitFor("a", T0.plusSeconds(2))).isZero();
    }
}
