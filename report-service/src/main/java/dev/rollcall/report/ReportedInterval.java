package dev.rollcall.report;

import java.time.Instant;

/** A working interval as a report shows it: a running one ends now and counts the blocks it has so far. */
public record ReportedInterval(Instant start, Instant end, String endedBy, boolean running, long seconds,
                               int realWorkBlocks) implements TimeSpan {
}
