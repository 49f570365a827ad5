package dev.rollcall.projection;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

@ConfigMapping(prefix = "projection")
public interface ProjectionConfig {

    /** The zone of a site that {@link #zones()} does not name. */
    @WithDefault("UTC")
    ZoneId defaultZone();

    /** Each site's IANA zone, e.g. {@code projection.zones.hq=Europe/Berlin}. */
    Map<String, ZoneId> zones();

    Workstation workstation();

    interface Workstation {
        /** Consumer group: one per projection version, so that a rebuild never disturbs the live one. */
        @WithDefault("rollcall.projection.workstation-day.v1")
        String group();

        @WithDefault("500")
        int maxPollRecords();

        @WithDefault("PT0.5S")
        Duration pollTimeout();

        /** How soon the group notices a dead consumer and hands its partitions on. */
        @WithDefault("PT10S")
        Duration sessionTimeout();

        /** Off only in tests that drive the projection by hand. */
        @WithDefault("true")
        boolean enabled();
    }

    default ZoneId zoneOf(String site) {
        return zones().getOrDefault(site, defaultZone());
    }
}
