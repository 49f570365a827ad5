package dev.rollcall.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

/** The window in which a reported time is believable, relative to the server's clock. */
public record TimeBounds(Period maxPast, Duration maxFuture) {

    /** Returns {@code t} if it lies in the window around {@code now}, else says which bound it broke. */
    public Instant check(String field, Instant t, Instant now) {
        Instant earliest = now.atOffset(ZoneOffset.UTC).minus(maxPast).toInstant();
        Instant latest = now.plus(maxFuture);
        if (t.isBefore(earliest)) {
            throw new InvalidInputException(field + " " + t + " is more than " + maxPast.getDays()
                    + " days in the past (earliest accepted: " + earliest + ")");
        }
        if (t.isAfter(latest)) {
            throw new InvalidInputException(field + " " + t + " is in the future (latest accepted: " + latest
                    + ", the server's time plus " + maxFuture.toMinutes() + " minutes)");
        }
        return t;
    }
}
