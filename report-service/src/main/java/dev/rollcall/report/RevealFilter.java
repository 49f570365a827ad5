package dev.rollcall.report;

import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.RealNamesRevealed;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.time.Clock;
import java.util.UUID;

/**
 * {@code ?names=real} on any page, export or JSON: for {@code hr} and {@code admin} only, and only once a
 * {@link RealNamesRevealed} (who, which page, which period) is on the audit topic with acks=all; then this request
 * shows real names ({@link Disclosure}). A viewer is refused (403); without a session the page's own
 * {@code @RolesAllowed} answers. If the audit cannot be written, nothing is shown (the failure is the answer).
 */
public class RevealFilter {

    public static final String PARAM = "names";
    public static final String REAL = "real";
    private static final Logger LOG = Logger.getLogger(RevealFilter.class);

    private final CurrentIdentityAssociation identity;
    private final AuditLog audit;
    private final ReportConfig config;
    private final Clock clock;

    public RevealFilter(CurrentIdentityAssociation identity, AuditLog audit, ReportConfig config, Clock clock) {
        this.identity = identity;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    @ServerRequestFilter
    public Uni<Response> reveal(UriInfo uri) {
        MultivaluedMap<String, String> q = uri.getQueryParameters();
        if (!REAL.equals(q.getFirst(PARAM))) {
            return Uni.createFrom().nullItem();
        }
        return identity.getDeferredIdentity().onFailure().recoverWithItem((SecurityIdentity) null).chain(who -> {
            if (who == null || who.isAnonymous()) {
                return Uni.createFrom().nullItem();  // the page's @RolesAllowed sends them to sign in
            }
            if (!who.hasRole(Role.HR_NAME)) {
                return Uni.createFrom().item(ProblemMapper.problem(403, "Forbidden",
                        "only hr and admin may see real names; this page shows pseudonyms"));
            }
            Site site = ReportQuery.site(q.getFirst("site"), config);
            String viewer = who.getPrincipal().getName();
            String period = q.getFirst("month") != null ? q.getFirst("month")
                    : q.getFirst("date") != null ? q.getFirst("date") : "current";
            RealNamesRevealed revealed = new RealNamesRevealed(viewer, "/" + uri.getPath().replaceFirst("^/", ""),
                    period.length() > 100 ? period.substring(0, 100) : period);
            EventEnvelope event = EventEnvelope.of(UUID.randomUUID(), "report-service", clock.instant(), site.id(), viewer, revealed);
            return audit.append(event)
                    .invoke(() -> Disclosure.revealed())
                    .replaceWith((Response) null)
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("could not write the audit event for a reveal on %s: %s", revealed.page(), e.toString());
                        return ProblemMapper.problem(503, "Service Unavailable",
                                "real names cannot be shown now: the audit log is not reachable; try again");
                    });
        });
    }
}
