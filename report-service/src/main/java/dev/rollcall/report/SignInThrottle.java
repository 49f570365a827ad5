package dev.rollcall.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles guessing: after {@code maxFailures} failed sign-ins for one key (an account name, or a client address)
 * within {@code window}, that key is refused until the oldest of them is {@code window} old. In memory, per replica:
 * enough to make online guessing slow, without letting anyone lock an account out for good. Time comes in.
 */
public final class SignInThrottle {

    private final int maxFailures;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public SignInThrottle(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.window = window;
    }

    /** How long {@code key} must still wait, or {@link Duration#ZERO} when it may try. */
    public Duration waitFor(String key, Instant now) {
        Deque<Instant> f = failures.get(key);
        if (f == null) {
            return Duration.ZERO;
        }
        synchronized (f) {
            prune(f, now);
            if (f.size() < maxFailures) {
                return Duration.ZERO;
            }
            return Duration.between(now, f.peekFirst().plus(window));
        }
    }

    public void failed(String key, Instant now) {
        Deque<Instant> f = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (f) {
            prune(f, now);
            f.addLast(now);
        }
        if (failures.size() > 100_000) {  // bound memory under a spray of names
            failures.entrySet().removeIf(e -> e.getValue().isEmpty());
        }
    }

    public void succeeded(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Instant> f, Instant now) {
        for (Iterator<Instant> i = f.iterator(); i.hasNext(); ) {
            if (!i.next().plus(window).isAfter(now)) {
                i.remove();
            } else {
                break;
            }
        }
    }
}
