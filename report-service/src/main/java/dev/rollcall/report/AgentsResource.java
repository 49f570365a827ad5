package dev.rollcall.report;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Instant;

/**
 * A site's agents ({@code ?site=}, the configured one by default): health judged now from each agent's last
 * heartbeat, what that heartbeat said, and the downtimes of the last 30 days; as a page, JSON and CSV. Host names
 * only for hr and admin: a workstation's is often its user's name.
 */
@Path("/")
@RolesAllowed(Role.VIEWER_NAME)  // agent ids, and for hr and admin host names; no people; still not for the anonymous
public class AgentsResource {

    static final int HISTORY_DAYS = 30;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance agents(AgentsReport report);
    }

    private final AgentsReadModel readModel;
    private final ReportConfig config;
    private final Clock clock;
    private final CurrentIdentityAssociation identity;

    public AgentsResource(AgentsReadModel readModel, ReportConfig config, Clock clock, CurrentIdentityAssociation identity) {
        this.readModel = readModel;
        this.config = config;
        this.clock = clock;
        this.identity = identity;
    }

    @GET
    @Path("agents")
    @Produces(MediaType.TEXT_HTML)
    public Uni<TemplateInstance> page(@QueryParam("site") String site) {
        return json(site).map(Templates::agents);
    }

    @GET
    @Path("api/agents")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AgentsReport> json(@QueryParam("site") String site) {
        // the identity as this non-blocking request knows it (authentication is not proactive here)
        return identity.getDeferredIdentity().chain(who -> readModel.agents(ReportQuery.site(site, config), clock.instant(), HISTORY_DAYS)
                .map(r -> who.hasRole(Role.HR_NAME) ? r : r.withoutHosts()));
    }

    /** One row per downtime of the last 30 days, then one per agent without any (so every agent is listed). */
    @GET
    @Path("agents.csv")
    @Produces(Csv.MEDIA_TYPE)
    public Uni<Response> csv(@QueryParam("site") String site) {
        return json(site).map(AgentsResource::csv);
    }

    static Response csv(AgentsReport r) {
        Csv csv = Csv.withHeader("agent", "health", "last_seen", "version", "host", "os", "outbox_depth", "devices_online",
                "downtime_start", "downtime_end", "downtime_minutes", "downtime_cause");
        for (AgentsReport.Agent a : r.agents()) {
            Object[] agent = {a.agentId(), a.revoked() ? "REVOKED" : a.health(), local(a.lastSeen(), r), a.version(), a.host(), a.os(), a.outboxDepth(),
                    a.devicesOnline()};
            boolean any = false;
            for (AgentDowntime d : r.downtimes()) {
                if (d.agentId().equals(a.agentId())) {
                    any = true;
                    csv.row(concat(agent, local(d.start(), r), local(d.end(), r), d.lengthAsOf(r.generatedAt()).toMinutes(), d.cause()));
                }
            }
            if (!any) {
                csv.row(concat(agent, null, null, null, null));
            }
        }
        return csv.download("agents-" + r.site().id() + "-" + r.today() + ".csv");
    }

    private static String local(Instant t, AgentsReport r) {
        return t == null ? null : t.atZone(r.site().zone()).toOffsetDateTime().toString();
    }

    private static Object[] concat(Object[] a, Object... b) {
        Object[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
