package dev.rollcall.projection;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ops' view of the projections: {@code GET /admin/projections} (each projection's generations, lag, rebuild
 * progress), {@code GET /admin/projections/{name}} and {@code POST /admin/projections/{name}/rebuild}. Bearer token {@code projection.admin.token}; without one
 * configured, every request is refused. Work runs on worker threads (these calls block on Postgres).
 */
@Path("/admin/projections")
@Produces(MediaType.APPLICATION_JSON)
public class ProjectionAdminResource {

    private final ProjectionSupervisor supervisor;
    private final ProjectionConfig config;

    public ProjectionAdminResource(ProjectionSupervisor supervisor, ProjectionConfig config) {
        this.supervisor = supervisor;
        this.config = config;
    }

    @GET
    public Response list(@HeaderParam("Authorization") String authorization) {
        Response refused = refuse(authorization);
        if (refused != null) {
            return refused;
        }
        return Response.ok(supervisor.statuses()).build();
    }

    @GET
    @Path("{name}")
    public Response one(@HeaderParam("Authorization") String authorization, @PathParam("name") String name) {
        Response refused = refuse(authorization, name);
        if (refused != null) {
            return refused;
        }
        return supervisor.status(name).map(s -> Response.ok(s).build())
                .orElseGet(() -> problem(503, "Starting", "the projection has not been measured yet; try again in a second"));
    }

    @POST
    @Path("{name}/rebuild")
    public Response rebuild(@HeaderParam("Authorization") String authorization, @PathParam("name") String name) {
        Response refused = refuse(authorization, name);
        if (refused != null) {
            return refused;
        }
        try {
            Generation g = supervisor.rebuild(name);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("projection", name);
            body.put("generation", g.generation());
            body.put("status", g.status().wire());
            body.put("rules", g.rules());
            body.put("progress", "/admin/projections/" + name);
            return Response.accepted(body).location(URI.create("/admin/projections/" + name)).build();
        } catch (RebuildRunningException e) {
            return problem(409, "Rebuild already running", e.getMessage());
        }
    }

    /** The refusal for a request without the admin token, or naming a projection that does not exist; else null. */
    private Response refuse(String authorization, String name) {
        Response refused = refuse(authorization);
        if (refused == null && !supervisor.exists(name)) {
            return problem(404, "Unknown projection", "there is no projection named '" + printable(name)
                    + "'; there are: " + String.join(", ", supervisor.names()));
        }
        return refused;
    }

    private Response refuse(String authorization) {
        if (config.admin().token().isEmpty() || config.admin().token().get().isBlank()) {
            return problem(403, "Admin API disabled", "set projection.admin.token (PROJECTION_ADMIN_TOKEN) to use it");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return problem(401, "Sign-in required", "send Authorization: Bearer <the admin token>");
        }
        byte[] given = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        byte[] expected = config.admin().token().get().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected)) {
            return problem(403, "Wrong credentials", "that token does not open the admin API");
        }
        return null;
    }

    private static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        Response.ResponseBuilder b = Response.status(status).type("application/problem+json").entity(body);
        if (status == 401) {
            b.header("WWW-Authenticate", "Bearer realm=\"rollcall-admin\"");
        }
        return b.build();
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\p{Alnum}._-]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }
}
