package dev.rollcall.agent.workstation;

import java.io.IOException;
import java.time.Duration;

/**
 * Where the time since the user's last input comes from: the OS's own counter, never a hook on the keyboard. Only
 * how long ago, and whether the screen is locked; no keys, no windows, no screen contents.
 */
public interface IdleSource extends AutoCloseable {

    /** What a poll learns. */
    record Reading(Duration idle, boolean locked) {
    }

    /** One line for the start-up log, e.g. {@code X11 screen saver extension on :0}. */
    String describe();

    Reading read() throws IOException;

    @Override
    default void close() {
    }
}
