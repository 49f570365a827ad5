package dev.rollcall.agent.ship;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: after the n-th consecutive failure wait between half and all of
 * {@code min(cap, base * 2^(n-1))}. The random half keeps a fleet of agents that lost the server together from
 * returning in lock-step when it comes back.
 */
public final class Backoff {

    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;

    /** @param random values in [0, 1) */
    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        if (!base.isPositive() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap");
        }
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** The wait after {@code failures} consecutive failures (1 or more). */
    public Duration delay(int failures) {
        long capMillis = cap.toMillis();
        long exp = base.toMillis();
        for (int i = 1; i < failures && exp < capMillis; i++) {
            exp *= 2;
        }
        exp = Math.min(exp, capMillis);
        double r = Math.min(Math.max(random.getAsDouble(), 0), 1);
        return Duration.ofMillis(exp / 2 + Math.round(r * (exp - exp / 2)));
    }

    public Duration cap() {
        return cap;
    }
}
