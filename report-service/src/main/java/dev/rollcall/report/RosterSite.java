package dev.rollcall.report;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A site as the roster configured it: its name, its zone (the presence projection's local days are in it) and
 * its presence grace period. A site the roster does not know yet shows its id and the configured zone
 * ({@code presenceGraceMinutes} null).
 */
public record RosterSite(String id, String name, ZoneId zone, Integer presenceGraceMinutes) {

    static RosterSite unknown(Site configured) {
        return new RosterSite(configured.id(), configured.id(), configured.zone(), null);
    }

    public LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(zone));
    }
}
