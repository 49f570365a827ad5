package dev.rollcall.agent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** A clock that moves only when told, and a {@link Sleeper} that moves it instead of sleeping. */
public final class FakeClock implements InstantSource, Sleeper {

    private Instant now;
    private final List<Duration> sleeps = new ArrayList<>();

    public FakeClock(Instant start) {
        this.now = start;
    }

    public static FakeClock at(String isoInstant) {
        return new FakeClock(Instant.parse(isoInstant));
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    public synchronized Instant advance(Duration d) {
        now = now.plus(d);
        return now;
    }

    @Override
    public synchronized void sleep(Duration d) {
        sleeps.add(d);
        if (d.isPositive()) {
            now = now.plus(d);
        }
    }

    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}
