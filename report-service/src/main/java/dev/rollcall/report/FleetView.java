package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * What the agents' administration page shows: the chosen site, its agents as the ingest lists them (null when the
 * ingest could not be asked), a code just made (only in the answer that made it), an agent awaiting confirmation of
 * its revocation, and what went wrong: settings missing, or the ingest's refusal or silence.
 */
public record FleetView(String site, ZoneId zone, LocalDate today, List<AdminView.SiteRow> sites, List<String> missingSettings,
                        String problem, List<IngestFleet.Agent> agents, NewCode created, IngestFleet.Agent confirm,
                        AdminForm form) {

    /** The validities an admin picks from; the ingest allows 1 minute to {@code ingest.enrollment.max-code-validity}. */
    public static final List<Validity> VALIDITIES = List.of(new Validity("PT1H", "1 hour"), new Validity("PT24H", "24 hours"),
            new Validity("P7D", "7 days"), new Validity("P30D", "30 days"));

    public static final String DEFAULT_VALIDITY = "PT24H";

    public record Validity(String value, String label) {
    }

    /** A code, shown once, with the exact command that redeems it. */
    public record NewCode(String code, String site, Instant expiresAt, String command) {
    }

    public List<Validity> validities() {
        return VALIDITIES;
    }

    public boolean configured() {
        return missingSettings.isEmpty();
    }

    public long enrolledCount() {
        return agents == null ? 0 : agents.stream().filter(a -> !a.configured() && !a.revoked()).count();
    }
}
