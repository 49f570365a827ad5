package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The latest arrivals at a site: every arrival of today, newest first, and the latest ones of the days before
 * ({@code earlierFrom} to yesterday). An arrival is the start of a session: the first of an employee's day, or
 * a return after they were away for longer than the grace period.
 */
public record Arrivals(RosterSite site, LocalDate today, Instant generatedAt, List<Arrival> todays,
                       LocalDate earlierFrom, int earlierLimit, List<Arrival> earlier, Instant unknownSince) {

    /**
     * {@code left}: the end of the session begun here; null while {@code present}, or while {@code unknown}: the
     * session was open when a presence agent fell silent ({@code unknownSince} of the report).
     */
    public record Arrival(Employee employee, LocalDate date, Instant at, boolean firstOfDay, Instant left,
                          boolean present, boolean unknown) {
    }
}
