package dev.rollcall.projection;

import dev.rollcall.projection.workstation.WorkRules;
import io.quarkus.runtime.configuration.MemorySize;
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

    Generations generations();

    interface Generations {
        /** How often each instance checks the registry, measures lag and switches a caught-up rebuild live. */
        @WithDefault("PT1S")
        Duration superviseInterval();

        /** How long a replaced generation's tables stay (for readers' queries in flight) before they are dropped. */
        @WithDefault("PT30S")
        Duration dropRetiredAfter();
    }

    Admin admin();

    interface Admin {
        /**
         * The bearer token of the admin API ({@code /admin/projections}). Without one the admin API refuses
         * every request. Until sign-in with roles exists (issue 7), this token is the admin role here.
         */
        Optional<String> token();
    }

    /** How one projection's consumers poll; each projection has these under its own prefix. */
    interface Consuming {
        /**
         * Consumer groups are this plus {@code .g<generation>}: one group per generation, so that a rebuild
         * never disturbs the live one. Only for partition assignment: offsets live in Postgres.
         * Default: {@code rollcall.projection.<name>}.
         */
        Optional<String> groupPrefix();

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

    interface Workstation extends Consuming {
        /** How long {@code working} lasts with no report. */
        @WithDefault("PT10M")
        Duration autoTimeout();

        /** One real work hour is a continuous block of working this long. */
        @WithDefault("PT40M")
        Duration realWorkBlock();

        /** Per-site exceptions, e.g. {@code projection.workstation.sites.lab.real-work-block=PT60M}. */
        Map<String, SiteRules> sites();

        /**
         * A new generation (a first start, a rebuild) stores the history as it reads it and folds it once, when it
         * has caught up, instead of report by report: several times quicker (make bench). Off: report by report.
         */
        @WithDefault("true")
        boolean bulkLoad();

        /**
         * While a bulk load reads the history, what it stores is also kept in memory up to this much (packed reports,
         * 25 bytes each: 64M is about 2.6 million), and its end folds from there instead of reading it all back. A longer
         * history, or a load a restart interrupted, is read back.
         */
        @WithDefault("64M")
        MemorySize loadMemory();
    }

    /** The roster projection (sites, employees, effective-dated device assignments). */
    interface Roster extends Consuming {
    }

    Roster roster();

    /** The presence-day projection (device online intervals, attendance per employee and local day). */
    interface Presence extends Consuming {
        /**
         * How long all of an employee's devices may be offline before they count as gone, for a site whose
         * roster entry does not say (a {@code SiteConfigured} event's {@code presenceGraceMinutes} does).
         */
        @WithDefault("PT5M")
        Duration defaultGrace();

        /**
         * A new generation (a first start, a rebuild) stores the phones' changes and the heartbeats as it reads them and
         * folds the devices' intervals and the attendance once, when it has caught up, instead of batch by batch:
         * quicker (make bench). Off: batch by batch.
         */
        @WithDefault("true")
        boolean bulkLoad();
    }

    Presence presence();

    /** The agents projection (heartbeats, each agent's status, downtimes). */
    interface Agents extends Consuming {
        /**
         * Two consecutive heartbeats of an agent further apart than this make a downtime (heartbeats come every
         * 5 minutes: more than two missed). Keep in step with report-service's {@code report.agents.offline-after}.
         */
        @WithDefault("PT700S")
        Duration offlineAfter();

        /**
         * A new generation (a first start, a rebuild) appends the heartbeats as it reads them and folds them once, when
         * it has caught up, instead of batch by batch: several times quicker (make bench). Off: batch by batch.
         */
        @WithDefault("true")
        boolean bulkLoad();
    }

    Agents agents();

    interface SiteRules {
        Optional<Duration> autoTimeout();

        Optional<Duration> realWorkBlock();
    }

    default ZoneId zoneOf(String site) {
        return zones().getOrDefault(site, defaultZone());
    }

    /** The workstation rules in words, as a generation records them: what its numbers were computed with. */
    default String describeWorkRules() {
        StringBuilder b = new StringBuilder("auto-timeout ").append(minutes(workstation().autoTimeout()))
                .append(", real work hour = ").append(minutes(workstation().realWorkBlock())).append(" block")
                .append(", days in ").append(defaultZone().getId());
        new java.util.TreeMap<>(zones()).forEach((site, zone) -> b.append("; ").append(site).append(": days in ").append(zone.getId()));
        new java.util.TreeMap<>(workstation().sites()).forEach((site, r) -> {
            r.autoTimeout().ifPresent(t -> b.append("; ").append(site).append(": auto-timeout ").append(minutes(t)));
            r.realWorkBlock().ifPresent(t -> b.append("; ").append(site).append(": real work hour = ").append(minutes(t)).append(" block"));
        });
        return b.append("; a site's auto-timeout and block from the roster win over these").toString();
    }

    /** The presence rules in words, as a presence-day generation records them. */
    default String describePresenceRules() {
        StringBuilder b = new StringBuilder("present while any device is online; unless the roster configures the site: grace ")
                .append(minutes(presence().defaultGrace())).append(", days in ").append(defaultZone().getId());
        new java.util.TreeMap<>(zones()).forEach((site, zone) -> b.append("; ").append(site).append(": days in ").append(zone.getId()));
        return b.toString();
    }

    private static String minutes(Duration d) {
        return d.toSecondsPart() == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }

    /** A site's rules as configured (its own, else the defaults); the roster's, where it gives them, win when folding. */
    default WorkRules workRulesOf(String site) {
        Optional<SiteRules> own = Optional.ofNullable(workstation().sites().get(site));
        return new WorkRules(zoneOf(site),
                own.flatMap(SiteRules::autoTimeout).orElse(workstation().autoTimeout()),
                own.flatMap(SiteRules::realWorkBlock).orElse(workstation().realWorkBlock()));
    }
}
