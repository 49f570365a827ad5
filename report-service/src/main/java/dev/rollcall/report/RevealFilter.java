package dev.rollcall.report;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;


/**
 * {@code ?names=real} on any page, export or JSON: for {@code hr} and {@code admin} only, and only once a
 * {@code RealNamesRevealed} (who, which page, which period) is on the audit topic with acks=all; then this request
 * shows real names ({@link Disclosure}). A viewer is refused (403); without a session the page's own
 * {@code @RolesAllowed} answers. If the audit cannot be written, nothing is shown (the failure is the answer).
 * The now page's own refresh is audited at most once an hour per session ({@link Reveals}).
 */
public class RevealFilter {

    public static final String PARAM = "names";
    public static final String REAL = "real";

    private final CurrentIdentityAssociation identity;
    private final Reveals reveals;
    private final ReportConfig config;

    public RevealFilter(CurrentIdentityAssociation identity, Reveals reveals, ReportConfig config) {
        this.identity = identity;
        this.reveals = reveals;
        this.config = config;
    }

    @ServerRequestFilter
    public Uni<Response> reveal(UriInfo uri, HttpHeaders headers) {
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
            String period = q.getFirst("month") != null ? q.getFirst("month")
                    : q.getFirst("date") != null ? q.getFirst("date") : "current";
            String session = who.getPrincipal() instanceof JsonWebToken jwt && jwt.getTokenID() != null
                    ? jwt.getTokenID() : who.getPrincipal().getName();
            boolean refresh = Reveals.REFRESH_NOW.equals(headers.getHeaderString(Reveals.REFRESH_HEADER));
            return reveals.reveal(who.getPrincipal().getName(), session, ReportQuery.site(q.getFirst("site"), config),
                    "/" + uri.getPath().replaceFirst("^/", ""), period, refresh)
                    .replaceWith((Response) null)
                    .onFailure().recoverWithItem(e -> ProblemMapper.problem(503, "Service Unavailable",
                            "real names cannot be shown now: the audit log is not reachable; try again"));
        });
    }
}
