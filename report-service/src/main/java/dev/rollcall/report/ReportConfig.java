package dev.rollcall.report;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

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

    /**
     * The secret behind employees' pseudonyms (an HMAC key, at least 32 characters): whoever knows it can tell
     * which employee a pseudonym stands for, so keep it like a password. When unset, the key in
     * {@link #pseudonymKeyFile()} is used, made there at the first start. Set it when several replicas serve the
     * pages, so that they all show the same pseudonyms.
     */
    Optional<String> pseudonymKey();

    /** Where this install keeps its pseudonym key when {@link #pseudonymKey()} is unset. */
    @WithDefault("${user.home}/.rollcall/report-pseudonym.key")
    Path pseudonymKeyFile();

    /** Show employees' real names instead of pseudonyms. Until sign-in exists, anyone who reaches the pages sees them. */
    @WithDefault("false")
    boolean showRealNames();

    Agents agents();

    /** Agent health, judged from the last heartbeat when a page is made (heartbeats come every 5 minutes). */
    interface Agents {
        /** HEALTHY while the last heartbeat is younger than this. */
        @WithDefault("PT350S")
        Duration healthyUnder();

        /**
         * OFFLINE once the last heartbeat is older than this (DEGRADED in between); an agent silent that long is an
         * open downtime. Keep in step with projection-service's {@code projection.agents.offline-after}.
         */
        @WithDefault("PT700S")
        Duration offlineAfter();

        default AgentHealth.Thresholds thresholds() {
            return new AgentHealth.Thresholds(healthyUnder(), offlineAfter());
        }
    }

    default ZoneId zoneOf(String site) {
        return zones().getOrDefault(site, zone());
    }
}
