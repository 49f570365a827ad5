package dev.rollcall.projection;

import dev.rollcall.projection.workstation.WorkRules;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

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
        @WithDefault("rollcall.projection.workstation-day.v2")
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

        /** How long {@code working} lasts with no report. */
        @WithDefault("PT10M")
        Duration autoTimeout();

        /** One real work hour is a continuous block of working this long. */
        @WithDefault("PT40M")
        Duration realWorkBlock();

        /** Per-site exceptions, e.g. {@code projection.workstation.sites.lab.real-work-block=PT60M}. */
        Map<String, SiteRules> sites();
    }

    interface SiteRules {
        Optional<Duration> autoTimeout();

        Optional<Duration> realWorkBlock();
    }

    default ZoneId zoneOf(String site) {
        return zones().getOrDefault(site, defaultZone());
    }

    /** A site's workstation rules: its zone, and the defaults unless the site says otherwise. */
    default WorkRules workRulesOf(String site) {
        Optional<SiteRules> own = Optional.ofNullable(workstation().sites().get(site));
        return new WorkRules(zoneOf(site),
                own.flatMap(SiteRules::autoTimeout).orElse(workstation().autoTimeout()),
                own.flatMap(SiteRules::realWorkBlock).orElse(workstation().realWorkBlock()));
    }
}
