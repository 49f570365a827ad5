package dev.rollcall.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;

@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    WorkTracing workTracing();

    Timestamps timestamps();

    /** The agents that may send batches, by agent id: {@code ingest.agents.<id>.site} and {@code .token-sha256}. */
    Map<String, AgentCredential> agents();

    Limits limits();

    Admin admin();

    StaffTrace stafftrace();

    Enrollment enrollment();

    interface Enrollment {
        /** How long an enrollment code is valid when the admin does not say. */
        @WithDefault("PT24H")
        Duration codeValidity();

        /** The longest validity an admin may ask for. */
        @WithDefault("P30D")
        Duration maxCodeValidity();

        /**
         * How long an enrolled agent's credential is valid from when it was issued (enrollment or last renewal;
         * {@code P90D} in application.properties); empty: until revoked. Agents renew when a third is left; an
         * expired credential is refused like a revoked one (401) and the agent is enrolled again with a new code.
         */
        Optional<Duration> credentialValidity();

        /** How long a replica trusts what it read about an enrolled agent: the most a revocation waits. */
        @WithDefault("PT2S")
        Duration credentialCache();

        /** Enrollment attempts per source address and window; beyond them 429 with Retry-After. */
        @WithDefault("10")
        int attemptsPerAddress();

        /** Enrollment attempts of all addresses together per window and replica. */
        @WithDefault("100")
        int attemptsOverall();

        @WithDefault("PT1M")
        Duration attemptsWindow();
    }

    interface StaffTrace {
        /** Per site id: {@code ingest.stafftrace.sites.<site>.token-sha256} and {@code .zone}. */
        Map<String, StaffTraceSite> sites();
    }

    interface StaffTraceSite {
        /** Hex SHA-256 of the site's shared StaffTrace token. */
        String tokenSha256();

        /** The site's zone, for times the agent sends without an offset. */
        @WithDefault("UTC")
        ZoneId zone();
    }

    interface Admin {
        /** The bearer token of roster administration; without one it is refused. */
        java.util.Optional<String> token();
    }

    interface AgentCredential {
        /** The one site this agent writes to. */
        String site();

        /** Hex SHA-256 of the secret part of its credential {@code <agentId>.<secret>}; never the secret itself. */
        String tokenSha256();
    }

    interface Limits {
        /** A work-tracing report is under 200 bytes. */
        @WithDefault("64K")
        MemorySize workTracingBody();

        /** An agent batch of 500 events stays well under this. */
        @WithDefault("1M")
        MemorySize agentBatchBody();
    }

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
