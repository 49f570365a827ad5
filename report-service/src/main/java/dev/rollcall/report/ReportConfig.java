package dev.rollcall.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.ZoneId;

@ConfigMapping(prefix = "report")
public interface ReportConfig {

    /** The site shown when a request names none. */
    @WithDefault("hq")
    String site();

    /** That site's IANA zone: "today" is its local date. */
    @WithDefault("UTC")
    ZoneId zone();
}
