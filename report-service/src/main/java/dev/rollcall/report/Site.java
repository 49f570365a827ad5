package dev.rollcall.report;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/** A site and its zone: a day, a week and a month are local to it. */
public record Site(String id, ZoneId zone) {

    public LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(zone));
    }
}
