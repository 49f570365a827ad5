package dev.rollcall.report;

import java.time.Instant;

/**
 * A stretch of time as a report shows it: a working interval, a presence session. One still going on ends
 * now and is {@code running}.
 */
public interface TimeSpan {

    Instant start();

    Instant end();

    boolean running();

    /** Its length in seconds, up to now while it runs. */
    long seconds();

    /** Whether it was still going on when its observer fell silent: what followed its end is unknown. */
    default boolean unknownAfter() {
        return false;
    }
}
