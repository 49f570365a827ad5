package dev.rollcall.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.AgentRevoked;
import dev.rollcall.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The agent fleet's administration, bearer {@code ingest.admin.token} (as roster administration):
 * <ul>
 *   <li>{@code POST /api/admin/enrollment-codes} {@code {"site", "validFor"?: "PT24H"}} → {@code 201 {"code",
 *       "site", "expiresAt"}}: a one-time code for one agent of that site (shown this once; stored as a hash)</li>
 *   <li>{@code GET /api/admin/agents?site=} → {@code {"agents": [{agentId, site, origin, host, enrolledAt,
 *       revokedAt}]}}: enrolled agents (revoked ones too) and configured ones</li>
 *   <li>{@code DELETE /api/admin/agents/{agentId}} → {@code 200 {"agentId", "site", "revokedAt"}} once the
 *       {@code AgentRevoked} event is on Kafka; every replica refuses the agent within
 *       {@code ingest.enrollment.credential-cache}</li>
 * </ul>
 */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class AgentAdminResource {

    private static final Duration MIN_VALIDITY = Duration.ofMinutes(1);

    private final ObjectMapper json;
    private final EventLog log;
    private final Clock clock;
    private final AdminToken admin;
    private final EnrollmentStore store;
    private final EnrolledAgents enrolled;
    private final AgentCredentials credentials;
    private final IngestConfig.Enrollment config;

    public AgentAdminResource(ObjectMapper json, EventLog log, Clock clock, AdminToken admin, EnrollmentStore store,
                              EnrolledAgents enrolled, AgentCredentials credentials, IngestConfig config) {
        this.json = json;
        this.log = log;
        this.clock = clock;
        this.admin = admin;
        this.store = store;
        this.enrolled = enrolled;
        this.credentials = credentials;
        this.config = config.enrollment();
    }

    @POST
    @Path("enrollment-codes")
    public Uni<Response> createCode(@HeaderParam("Authorization") String auth, String body) {
        String who = admin.require(auth);
        JsonNode n = parse(body);
        String site = n.path("site").isTextual() ? n.get("site").textValue().strip() : "";
        requireSite(site);
        Duration validFor = validity(n.get("validFor"));
        Instant now = clock.instant();
        Instant expires = now.plus(validFor);
        String code = EnrollmentCodes.newCode();
        return store.createCode(EnrollmentCodes.hash(EnrollmentCodes.normalise(code).orElseThrow()), site, now, expires, who)
                .onFailure().transform(CredentialStoreUnavailableException::new)
                .map(done -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("code", code);
                    answer.put("site", site);
                    answer.put("expiresAt", expires.toString());
                    answer.put("enroll", "presence-agent enroll --server <this server's URL> --code " + code);
                    return Response.status(201).entity(answer).header("Cache-Control", "no-store").build();
                });
    }

    @GET
    @Path("agents")
    public Uni<Map<String, Object>> agents(@HeaderParam("Authorization") String auth, @QueryParam("site") String site) {
        admin.require(auth);
        Optional<String> only = Optional.ofNullable(site).map(String::strip).filter(s -> !s.isEmpty());
        return store.list(only).onFailure().transform(CredentialStoreUnavailableException::new).map(stored -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (EnrollmentStore.StoredAgent a : stored) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("agentId", a.agentId());
                m.put("site", a.site());
                m.put("origin", "enrolled");
                m.put("host", a.host());
                m.put("enrolledAt", a.enrolledAt().toString());
                m.put("revokedAt", a.revokedAt() == null ? null : a.revokedAt().toString());
                out.add(m);
            }
            new TreeMap<>(credentials.configured()).forEach((id, c) -> {
                if (only.isEmpty() || only.get().equals(c.site())) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("agentId", id);
                    m.put("site", c.site());
                    m.put("origin", "configured");
                    out.add(m);
                }
            });
            return Map.of("agents", out);
        });
    }

    @DELETE
    @Path("agents/{agentId}")
    public Uni<Map<String, Object>> revoke(@HeaderParam("Authorization") String auth, @PathParam("agentId") String agentId) {
        String who = admin.require(auth);
        if (credentials.isConfigured(agentId)) {
            throw new ProblemException(409, "agent '" + agentId + "' is configured, not enrolled: remove ingest.agents."
                    + agentId + ".* from the ingest's configuration and restart it");
        }
        Instant now = clock.instant();
        return store.revoke(agentId, now, who, a -> log.append(EventEnvelope.of(UUID.randomUUID(), who, now, a.site(),
                        a.agentId(), new AgentRevoked(a.agentId()))))
                .onFailure(e -> !(e instanceof EventLogUnavailableException)).transform(CredentialStoreUnavailableException::new)
                .map(found -> {
                    enrolled.forget(agentId);
                    EnrollmentStore.StoredAgent a = found.orElseThrow(() ->
                            new ProblemException(404, "no enrolled agent '" + agentId + "'"));
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("agentId", a.agentId());
                    answer.put("site", a.site());
                    answer.put("revokedAt", a.revokedAt().toString());
                    return answer;
                });
    }

    private Duration validity(JsonNode v) {
        if (v == null || v.isNull()) {
            return config.codeValidity();
        }
        Duration d;
        try {
            d = Duration.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("validFor must be an ISO-8601 duration such as PT24H, got '" + v.asText() + "'");
        }
        if (d.compareTo(MIN_VALIDITY) < 0 || d.compareTo(config.maxCodeValidity()) > 0) {
            throw new InvalidInputException("validFor must be between " + MIN_VALIDITY + " and " + config.maxCodeValidity());
        }
        return d;
    }

    /** The contract owns the rules for site ids: a throw-away event says whether this one is valid. */
    private static void requireSite(String site) {
        if (site.isEmpty()) {
            throw new InvalidInputException("site is required: the site the enrolled agent will write to");
        }
        try {
            EventEnvelope.of(UUID.randomUUID(), "admin", Instant.EPOCH, site, "x", new AgentEnrolled("x", null));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("site: " + e.getMessage());
        }
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("the body is empty: send {\"site\": \"…\"}");
        }
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) {
                throw new InvalidInputException("send a JSON object {\"site\": \"…\"}");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
