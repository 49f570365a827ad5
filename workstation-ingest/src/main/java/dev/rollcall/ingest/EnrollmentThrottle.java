package dev.rollcall.ingest;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits enrollment attempts, so that guessing codes gets nowhere: a token bucket per source address and one
 * for everyone (per replica), each holding {@code limit} attempts and refilled evenly over {@code window}. An
 * attempt takes a token from both or is refused with the time until one is back. Pure: time comes in as nanos.
 */
public final class EnrollmentThrottle {

    static final int MAX_ADDRESSES = 100_000;

    private final int perAddress;
    private final int overall;
    private final long window;
    private final Bucket everyone;
    private final Map<String, Bucket> addresses = new ConcurrentHashMap<>();

    public EnrollmentThrottle(int perAddress, int overall, Duration window) {
        if (perAddress < 1 || overall < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("enrollment throttle: limits must be at least 1 and the window positive");
        }
        this.perAddress = perAddress;
        this.overall = overall;
        this.window = window.toNanos();
        this.everyone = new Bucket(overall, Long.MIN_VALUE);
    }

    /** Empty when the attempt may go ahead (a token was taken), else how long to wait. */
    public synchronized Optional<Duration> tryAcquire(String address, long now) {
        if (addresses.size() >= MAX_ADDRESSES) {
            addresses.values().removeIf(b -> b.refill(perAddress, now) >= perAddress);
            if (addresses.size() >= MAX_ADDRESSES) {
                addresses.clear();
            }
        }
        Bucket mine = addresses.computeIfAbsent(address, a -> new Bucket(perAddress, now));
        double own = mine.refill(perAddress, now);
        double all = everyone.refill(overall, now);
        if (own < 1 || all < 1) {
            long waitOwn = own < 1 ? (long) Math.ceil((1 - own) * window / perAddress) : 0;
            long waitAll = all < 1 ? (long) Math.ceil((1 - all) * window / overall) : 0;
            return Optional.of(Duration.ofNanos(Math.max(waitOwn, waitAll)));
        }
        mine.tokens -= 1;
        everyone.tokens -= 1;
        return Optional.empty();
    }

    private final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        double refill(int limit, long now) {
            if (at != Long.MIN_VALUE && now > at) {
                tokens = Math.min(limit, tokens + (double) (now - at) * limit / window);
            }
            at = now;
            return tokens;
        }
    }
}
