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

    /**
     * No longer honoured: since sign-in (issue 7) nobody sees real names without asking for them on a page, which
     * only {@code hr} and {@code admin} may, and which is audited. Kept so that old configurations still start.
     */
    @WithDefault("false")
    boolean showRealNames();

    /**
     * The presence grace period of a site the roster has not configured (a {@code SiteConfigured} event's
     * {@code presenceGraceMinutes} wins): someone whose devices all went offline is present until it has passed.
     * Keep equal to projection-service's {@code projection.presence.default-grace}.
     */
    @WithDefault("PT5M")
    Duration presenceGrace();

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

    /** workstation-ingest's admin API, for the agents' administration page ({@code /admin/agents}). */
    Ingest ingest();

    interface Ingest {
        /** Where report-service reaches the ingest, e.g. {@code http://workstation-ingest:8081}; unset: the page says so. */
        Optional<java.net.URI> url();

        /** The ingest's {@code ingest.admin.token}: a secret, never logged nor shown. */
        Optional<String> adminToken();

        /** The URL agents enroll with when it is not {@link #url()} (e.g. the ingest's public HTTPS address). */
        Optional<java.net.URI> agentUrl();

        /** How long the page waits for the ingest. */
        @WithDefault("PT10S")
        Duration timeout();
    }

    /** Sign-in: accounts, sessions, the first admin. */
    Auth auth();

    interface Auth {

        /** The secret (at least 32 characters) that signs session tokens; unset: this install's own, in {@link #sessionKeyFile()}. */
        Optional<String> sessionKey();

        @WithDefault("${user.home}/.rollcall/report-session.key")
        Path sessionKeyFile();

        /** The {@code iss} of every session token; a token from another issuer is refused. */
        @WithDefault("rollcall-report")
        String issuer();

        /** How long a sign-in lasts. */
        @WithDefault("PT8H")
        Duration sessionLength();

        /** The session cookie's {@code Secure} flag. Browsers accept Secure cookies on http://localhost too. */
        @WithDefault("true")
        boolean secureCookie();

        /** PBKDF2-HMAC-SHA256 iterations for new password hashes (OWASP 2023: 600,000); stored with each hash. */
        @WithDefault("600000")
        int passwordIterations();

        /** Failed sign-ins for one account (or from one address) before it is locked out for {@link #lockout()}. */
        @WithDefault("5")
        int maxFailures();

        @WithDefault("PT15M")
        Duration lockout();

        /** The first admin's account name, created at start when no admin exists and a password is given. */
        @WithDefault("admin")
        String firstAdmin();

        /** The first admin's password (e.g. {@code REPORT_AUTH_FIRST_ADMIN_PASSWORD}); never a default. */
        Optional<String> firstAdminPassword();

        /** Or a file holding it ({@code make run} writes a random one into data/ once). */
        Optional<Path> firstAdminPasswordFile();
    }

    default ZoneId zoneOf(String site) {
        return zones().getOrDefault(site, zone());
    }
}
