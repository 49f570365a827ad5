package dev.rollcall.agent.workstation;

import java.time.Duration;
import java.time.Instant;

/** A workstation's clocks and input, moved by the test: time passes, the user types, the lid closes, NTP steps. */
final class FakeMachine {

    Instant wall;
    long awakeNanos = Duration.ofHours(1).toNanos();
    long sinceBootNanos = Duration.ofHours(1).toNanos();
    Duration idle = Duration.ZERO;
    boolean locked;
    boolean unreadable;
    boolean bootClock = true;

    FakeMachine(String isoInstant) {
        wall = Instant.parse(isoInstant);
    }

    /** Time passes with nobody at the keyboard. */
    FakeMachine pass(Duration d) {
        wall = wall.plus(d);
        awakeNanos += d.toNanos();
        sinceBootNanos += d.toNanos();
        idle = idle.plus(d);
        return this;
    }

    /** Time passes with somebody typing all along. */
    FakeMachine work(Duration d) {
        pass(d);
        idle = Duration.ZERO;
        return this;
    }

    FakeMachine input() {
        idle = Duration.ZERO;
        return this;
    }

    /** Asleep for d: the wall and boot clocks move, the awake clock does not; input counters keep counting. */
    FakeMachine suspend(Duration d) {
        wall = wall.plus(d);
        sinceBootNanos += d.toNanos();
        idle = idle.plus(d);
        return this;
    }

    /** The wall clock alone is set, by d (negative: back). */
    FakeMachine stepWall(Duration d) {
        wall = wall.plus(d);
        return this;
    }

    Observation observe() {
        return new Observation(wall, awakeNanos, bootClock ? sinceBootNanos : Observation.UNKNOWN,
                unreadable ? null : idle, locked);
    }
}
