package dev.rollcall.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/agent/enroll} {@code {"code": "…", "host"?: "…"}}: an agent exchanges a one-time enrollment
 * code for its own credential, {@code 201 {"agentId", "site", "credential": "<agentId>.<secret>", "expiresAt"}}. The secret
 * is shown this once; the server keeps its SHA-256. The answer comes only after the {@code AgentEnrolled} event
 * is on Kafka. A wrong code is 401, a used or expired one 410, and nothing is created; attempts are throttled
 * per source address and overall (429 with {@code Retry-After}).
 */
@Path("/api/agent/enroll")
public class EnrollmentResource {

    static final String SOURCE = "ingest/enrollment";

    private final ObjectMapper json;
    private final EventLog log;
    private final Clock clock;
    private final EnrollmentStore store;
    private final AgentCredentials credentials;
    private final EnrollmentThrottle throttle;

    public EnrollmentResource(ObjectMapper json, EventLog log, Clock clock, EnrollmentStore store,
                              AgentCredentials credentials, EnrollmentAttempts attempts) {
        this.json = json;
        this.log = log;
        this.clock = clock;
        this.store = store;
        this.credentials = credentials;
        this.throttle = attempts.throttle();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> enroll(@Context HttpServerRequest request, String body) {
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        throttle.tryAcquire(address, System.nanoTime()).ifPresent(wait -> {
            throw new TooManyAttemptsException(wait);
        });
        JsonNode n = parse(body);
        String code = EnrollmentCodes.normalise(n.path("code").isTextual() ? n.get("code").textValue() : null)
                .orElseThrow(() -> new ProblemException(401, "that is not a valid enrollment code; ask an administrator for one"));
        String host = n.path("host").isTextual() && !n.get("host").textValue().isBlank() ? n.get("host").textValue().strip() : null;
        if (host != null && (host.length() > 255 || host.chars().anyMatch(Character::isISOControl))) {
            throw new InvalidInputException("host must be a host name of at most 255 characters");
        }
        Instant now = clock.instant();
        String secret = EnrollmentCodes.newSecret();
        return store.redeem(EnrollmentCodes.hash(code), now, this::freshId, AgentCredentials.sha256(secret), host,
                        (site, agentId) -> log.append(EventEnvelope.of(UUID.randomUUID(), SOURCE, now, site, agentId,
                                new AgentEnrolled(agentId, host))))
                .onFailure(e -> !(e instanceof EventLogUnavailableException)).transform(CredentialStoreUnavailableException::new)
                .map(r -> {
                    if (r.refusal() != null) {
                        throw switch (r.refusal()) {
                            case UNKNOWN -> new ProblemException(401, "that is not a valid enrollment code; ask an administrator for one");
                            case USED -> new ProblemException(410, "this enrollment code was already used (at " + r.at()
                                    + "); a code works once: ask an administrator for a new one");
                            case EXPIRED -> new ProblemException(410, "this enrollment code expired at " + r.at()
                                    + "; ask an administrator for a new one");
                        };
                    }
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("agentId", r.agentId());
                    answer.put("site", r.site());
                    answer.put("credential", r.agentId() + "." + secret);
                    // null: it does not expire; the agent renews it before it does (POST /api/agent/credential)
                    answer.put("expiresAt", credentials.expiry(now).map(Instant::toString).orElse(null));
                    return Response.status(201).entity(answer).header("Cache-Control", "no-store").build();
                });
    }

    /** A new id for the site; never one of the configured agents'. */
    private String freshId(String site) {
        String id;
        do {
            id = EnrollmentCodes.newAgentId(site);
        } while (credentials.isConfigured(id));
        return id;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("the body is empty: send {\"code\": \"…\"}");
        }
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) {
                throw new InvalidInputException("send a JSON object {\"code\": \"…\"}");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
