package dev.rollcall.report;

import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.EventEnvelope;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The agent fleet's administration, for {@code admin} only: make a one-time enrollment code for a site (shown in
 * this one answer, with the command that redeems it, and never kept here), list the site's agents and revoke one
 * (after a confirmation). Everything goes to workstation-ingest's admin API ({@link IngestFleet}); when that is not
 * configured, or refuses, or does not answer, the page says so and shows nothing it did not get.
 */
@Path("/admin/agents")
@RolesAllowed(Role.ADMIN_NAME)
public class AdminAgentsResource {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AdminAgentsResource.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance agents(FleetView view);
    }

    private final IngestFleet fleet;
    private final Pool pool;
    private final ReportConfig config;
    private final Sessions sessions;
    private final Clock clock;

    public AdminAgentsResource(IngestFleet fleet, Pool pool, ReportConfig config, Sessions sessions, Clock clock) {
        this.fleet = fleet;
        this.pool = pool;
        this.config = config;
        this.sessions = sessions;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> page(@QueryParam("site") String site, @QueryParam("done") String done) {
        AdminForm form = AdminForm.none(done == null || done.length() > 200 ? null : done);
        String s = site == null || site.isBlank() ? config.site() : site.strip();
        if (siteProblem(s) != null) {
            form = AdminForm.of("site").with("site", site);
            form.error("site", siteProblem(s));
            return render(400, config.site(), form, null, null, true);
        }
        return render(200, s, form, null, null, true);
    }

    @POST
    @Path("codes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> createCode(@FormParam("csrf") String csrf, @FormParam("site") String site,
                                    @FormParam("validFor") String validFor, @Context SecurityContext security) {
        if (!csrfOk(csrf, security)) {
            return Uni.createFrom().item(csrfRefused());
        }
        String s = site == null ? "" : site.strip();
        AdminForm form = AdminForm.of("code").with("site", s).with("validFor", validFor);
        if (siteProblem(s) != null) {
            form.error("site", siteProblem(s));
        }
        Duration validity = FleetView.VALIDITIES.stream().filter(v -> v.value().equals(validFor)).findFirst()
                .map(v -> Duration.parse(v.value())).orElse(null);
        if (validity == null) {
            form.error("validFor", "pick one of " + FleetView.VALIDITIES.stream().map(FleetView.Validity::label).toList());
        }
        if (form.failed()) {
            return render(400, form.errorOf("code", "site").isEmpty() ? s : config.site(), form, null, null, true);
        }
        return fleet.createCode(s, validity)
                .chain(code -> render(200, s, AdminForm.none(null), new FleetView.NewCode(code.code(), code.site(),
                        code.expiresAt(), command(code.code())), null, true))
                .onFailure(IngestFleet.Unavailable.class).recoverWithUni(e ->
                        render(status((IngestFleet.Unavailable) e), s, AdminForm.none(null), null, "No code was made: " + e.getMessage(), true));
    }

    /**
     * Revokes an agent, in two steps: without {@code confirm=yes} this shows what revoking means and asks again;
     * with it, the ingest revokes and the page goes back to the list.
     */
    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> revoke(@FormParam("csrf") String csrf, @FormParam("site") String site, @FormParam("agentId") String agentId,
                                @FormParam("confirm") String confirm, @Context SecurityContext security) {
        if (!csrfOk(csrf, security)) {
            return Uni.createFrom().item(csrfRefused());
        }
        String s = site == null || site.isBlank() ? config.site() : site.strip();
        String id = agentId == null ? "" : agentId.strip();
        if (siteProblem(s) != null || id.isEmpty() || id.length() > 128) {
            AdminForm form = AdminForm.of("revoke").with("agentId", id);
            form.error("agentId", "which agent? Pick one from the list");
            return render(400, siteProblem(s) == null ? s : config.site(), form, null, null, true);
        }
        if (!"yes".equals(confirm)) {
            return fleet.agents(s).chain(agents -> {
                IngestFleet.Agent a = agents.stream().filter(x -> x.agentId().equals(id)).findFirst().orElse(null);
                if (a == null || a.configured() || a.revoked()) {
                    AdminForm form = AdminForm.of("revoke").with("agentId", id);
                    form.error("agentId", a == null ? "no agent " + id + " at site " + s
                            : a.configured() ? "agent " + id + " is configured in the ingest, not enrolled: remove its ingest.agents."
                            + id + ".* settings and restart the ingest" : "agent " + id + " is revoked already");
                    return renderWith(a == null ? 404 : 409, s, form, agents, null, null);
                }
                return renderWith(200, s, AdminForm.none(null), agents, null, a);
            }).onFailure(IngestFleet.Unavailable.class).recoverWithUni(e ->
                    renderWith(status((IngestFleet.Unavailable) e), s, AdminForm.none(null), null, e.getMessage(), null));
        }
        return fleet.revoke(id)
                .map(at -> redirect(s, "agent " + id + " revoked: the ingest refuses it from now on"))
                .onFailure(IngestFleet.Unavailable.class).recoverWithUni(e ->
                        render(status((IngestFleet.Unavailable) e), s, AdminForm.none(null), null,
                                "Agent " + id + " was not revoked: " + e.getMessage(), true));
    }

    private String command(String code) {
        return "presence-agent enroll --server " + fleet.agentUrl().orElse("<the ingest's URL>") + " --code " + code;
    }

    /**
     * The page with the site's agents as the ingest lists them now. When the ingest cannot be asked, the list is
     * left out and the page says why; {@code status} is then at least 502 unless the settings are missing (a state
     * the page explains, not a failure).
     */
    private Uni<Response> render(int status, String site, AdminForm form, FleetView.NewCode created, String problem, boolean fetch) {
        if (!fetch || !fleet.missingSettings().isEmpty()) {
            return render(status, site, form, null, created, null, problem);
        }
        return fleet.agents(site)
                .chain(list -> render(status, site, form, list, created, null, problem))
                .onFailure(IngestFleet.Unavailable.class).recoverWithUni(e -> render(status == 200 || status == 400 ? 502 : status,
                        site, form, null, created, null, problem == null ? "The agents could not be listed: " + e.getMessage()
                                : problem));
    }

    private Uni<Response> renderWith(int status, String site, AdminForm form, List<IngestFleet.Agent> agents, String problem,
                                     IngestFleet.Agent confirm) {
        return render(status, site, form, agents, null, confirm, problem);
    }

    private Uni<Response> render(int status, String site, AdminForm form, List<IngestFleet.Agent> agents, FleetView.NewCode created,
                                 IngestFleet.Agent confirm, String problem) {
        return sites().map(sites -> {
            ZoneId zone = config.zoneOf(site);
            FleetView view = new FleetView(site, zone, LocalDate.ofInstant(clock.instant(), zone), sites, fleet.missingSettings(),
                    problem, agents, created, confirm, form);
            // a code is shown once: neither the browser's cache nor a proxy keeps this answer
            return Response.status(status).entity(Templates.agents(view)).type(MediaType.TEXT_HTML_TYPE)
                    .header("Cache-Control", "no-store").build();
        });
    }

    /**
     * The roster's sites, only as suggestions for the site field: without the read model (projection-service not
     * started yet, database away) the page still works, since revoking an agent must not wait for the roster.
     */
    private Uni<List<AdminView.SiteRow>> sites() {
        return pool.query("SELECT site, name, zone, presence_grace_minutes FROM roster_site ORDER BY site").execute().map(rows -> {
            List<AdminView.SiteRow> out = new ArrayList<>();
            for (Row r : rows) {
                // only suggestions: the workstation rules do not matter here
                out.add(new AdminView.SiteRow(r.getString("site"), r.getString("name"), r.getString("zone"),
                        r.getInteger("presence_grace_minutes"), null, null));
            }
            return out;
        }).onFailure().recoverWithItem(e -> {
            LOG.debugf("no roster sites to suggest: %s", e.toString());
            return List.of();
        });
    }

    private static int status(IngestFleet.Unavailable e) {
        int s = e.status();
        return s == 0 ? (e.getMessage().startsWith("not configured") ? 503 : 502)
                : s == 400 || s == 404 || s == 409 ? s : 502;
    }

    /** The contract owns the rules for site ids: a throw-away event says whether this one is valid. */
    static String siteProblem(String site) {
        if (site == null || site.isBlank()) {
            return "the site's id is required";
        }
        try {
            EventEnvelope.of(UUID.randomUUID(), "admin", Instant.EPOCH, site, "x", new AgentEnrolled("x", null));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private boolean csrfOk(String csrf, SecurityContext security) {
        return security.getUserPrincipal() instanceof JsonWebToken jwt && sessions.sameToken(sessions.csrfToken(jwt), csrf);
    }

    private static Response csrfRefused() {
        return ProblemMapper.problem(403, "Forbidden", "the form did not come from this site (missing or wrong CSRF token); reload the page");
    }

    private static Response redirect(String site, String done) {
        return Response.seeOther(URI.create("/admin/agents?site=" + URLEncoder.encode(site, StandardCharsets.UTF_8)
                + "&done=" + URLEncoder.encode(done, StandardCharsets.UTF_8))).build();
    }
}
