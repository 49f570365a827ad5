package dev.rollcall.agent;

import java.time.Duration;

/** Waiting, behind an interface so tests move a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = d -> {
        if (d.isPositive()) {
            Thread.sleep(d);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
