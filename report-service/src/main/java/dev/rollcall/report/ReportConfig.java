package dev.rollcall.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.ZoneId;
import java.util.Map;

@ConfigMapping(prefix = "report")
public interface ReportConfig {

    /** The site shown when a request names none. */
    @WithDefault("hq")
    String site();

    /** The IANA zone of every site that {@link #zones()} does not name: "today" is its local date. */
    @WithDefault("UTC")
    ZoneId zone();

    /** Other sites' zones, e.g. {@code report.zones.berlin=Europe/Berlin}. Must agree with projection-service's. */
    Map<String, ZoneId> zones();

    default ZoneId zoneOf(String site) {
        return zones().getOrDefault(site, zone());
    }
}
