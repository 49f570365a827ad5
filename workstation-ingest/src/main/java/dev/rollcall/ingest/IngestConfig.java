package dev.rollcall.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;

@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    WorkTracing workTracing();

    Timestamps timestamps();

    interface WorkTracing {
        /** The site the work-tracing clients belong to: their reports carry none. */
        @WithDefault("hq")
        String site();

        /** The site's zone, in which an ISO time without offset is read. */
        @WithDefault("UTC")
        ZoneId zone();
    }

    interface Timestamps {
        /** How far back an event may lie: a client that was offline catches up, but not from 1970. */
        @WithDefault("P400D")
        Period maxPast();

        /** How far ahead of the server's clock an event may lie: clock skew, not time travel. */
        @WithDefault("PT1H")
        Duration maxFuture();
    }
}
