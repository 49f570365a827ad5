package dev.rollcall.events;

import java.time.ZoneId;
import java.util.Objects;

/**
 * The roster set a site's name, time zone and rules (the envelope's {@code site} is the site id). The latest by
 * event time is in force; a change applies to history through a projection rebuild.
 *
 * @param presenceGraceMinutes how long all of an employee's devices may be offline before they count as gone
 * @param autoTimeoutMinutes   how long a workstation's {@code working} lasts with no report; null: the deployment's
 *                             default ({@code projection.workstation…auto-timeout})
 * @param realWorkBlockMinutes how long a continuous block of working makes one real work hour; null: the
 *                             deployment's default ({@code projection.workstation…real-work-block})
 */
public record SiteConfigured(String name, ZoneId zone, int presenceGraceMinutes, Integer autoTimeoutMinutes,
                             Integer realWorkBlockMinutes) implements RollcallEvent {

    public static final String TYPE = "rollcall.roster.site-configured.v1";

    /** The largest auto-timeout and real work block, in minutes: a day. */
    public static final int MAX_RULE_MINUTES = 24 * 60;

    public SiteConfigured {
        name = ContractChecks.requireText("name", name, 128);
        Objects.requireNonNull(zone, "zone");
        if (presenceGraceMinutes < 0 || presenceGraceMinutes > 24 * 60) {
            throw new IllegalArgumentException("presenceGraceMinutes must be between 0 and 1440, got " + presenceGraceMinutes);
        }
        requireMinutes("autoTimeoutMinutes", autoTimeoutMinutes);
        requireMinutes("realWorkBlockMinutes", realWorkBlockMinutes);
    }

    /** A site that leaves the workstation rules to the deployment's configuration. */
    public SiteConfigured(String name, ZoneId zone, int presenceGraceMinutes) {
        this(name, zone, presenceGraceMinutes, null, null);
    }

    private static void requireMinutes(String field, Integer minutes) {
        if (minutes != null && (minutes < 1 || minutes > MAX_RULE_MINUTES)) {
            throw new IllegalArgumentException(field + " must be between 1 and " + MAX_RULE_MINUTES
                    + " minutes (or absent for the default), got " + minutes);
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
