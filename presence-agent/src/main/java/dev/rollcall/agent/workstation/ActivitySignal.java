package dev.rollcall.agent.workstation;

import dev.rollcall.events.WorkstationSessionKind;
import dev.rollcall.events.WorkstationState;

import java.time.Duration;
import java.time.Instant;

/** What the {@link ActivityTracker} concluded from an observation: an event to send, or a clock jump to log. */
public sealed interface ActivitySignal {

    Instant time();

    /** The user is now (or still, when {@code repeat}) working or stopped. */
    record State(Instant time, WorkstationState state, boolean repeat) implements ActivitySignal {
    }

    /** Something happened to the session. */
    record Session(Instant time, WorkstationSessionKind kind) implements ActivitySignal {
    }

    /** The wall clock moved by {@code by} more than the machine's own clocks did (NTP step, manual change). Not sent. */
    record WallClockJumped(Instant time, Duration by) implements ActivitySignal {
    }
}
