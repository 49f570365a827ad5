package dev.rollcall.events;

import java.time.ZoneId;
import java.util.Objects;

/**
 * The roster set a site's name, time zone and presence rule (the envelope's {@code site} is the site id). The
 * latest by event time is in force; a change applies to history through a projection rebuild.
 *
 * @param presenceGraceMinutes how long all of an employee's devices may be offline before they count as gone
 */
public record SiteConfigured(String name, ZoneId zone, int presenceGraceMinutes) implements RollcallEvent {

    public static final String TYPE = "rollcall.roster.site-configured.v1";

    public SiteConfigured {
        name = ContractChecks.requireText("name", name, 128);
        Objects.requireNonNull(zone, "zone");
        if (presenceGraceMinutes < 0 || presenceGraceMinutes > 24 * 60) {
            throw new IllegalArgumentException("presenceGraceMinutes must be between 0 and 1440, got " + presenceGraceMinutes);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Topic topic() {
        return Topic.ROSTER;
    }
}
