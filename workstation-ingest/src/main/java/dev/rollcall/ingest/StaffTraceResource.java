package dev.rollcall.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollcall.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * StaffTrace agent compatibility: {@code POST /api/heartbeat} and {@code POST /api/presence} with
 * {@code Authorization: Bearer <the site's shared token>}, answered 200 as StaffTrace does, once Kafka has
 * every event. A token opens only its own site ({@code ingest.stafftrace.sites.<site>.token-sha256}).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class StaffTraceResource {

    private final ObjectMapper json;
    private final EventLog log;
    private final Clock clock;
    private final IngestConfig config;
    private final StaffTracePayloads payloads;

    public StaffTraceResource(ObjectMapper json, EventLog log, Clock clock, IngestConfig config) {
        this.json = json;
        this.log = log;
        this.clock = clock;
        this.config = config;
        this.payloads = new StaffTracePayloads(new TimeBounds(config.timestamps().maxPast(), config.timestamps().maxFuture()));
    }

    @POST
    @Path("heartbeat")
    public Uni<Map<String, Object>> heartbeat(@HeaderParam("Authorization") String authorization, String body) {
        JsonNode n = parse(body);
        String site = authorize(authorization, n);
        EventEnvelope e = payloads.heartbeat(n, site, config.stafftrace().sites().get(site).zone(), clock.instant());
        return append(List.of(e));
    }

    @POST
    @Path("presence")
    public Uni<Map<String, Object>> presence(@HeaderParam("Authorization") String authorization, String body) {
        JsonNode n = parse(body);
        String site = authorize(authorization, n);
        return append(payloads.presence(n, site, config.stafftrace().sites().get(site).zone(), clock.instant()));
    }

    private Uni<Map<String, Object>> append(List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(Map.of("success", true, "accepted", 0));
        }
        return Uni.join().all(events.stream().map(log::append).toList()).andCollectFailures()
                .onFailure().transform(e -> e instanceof EventLogUnavailableException ? e : new EventLogUnavailableException(e))
                .map(done -> Map.of("success", true, "accepted", events.size()));
    }

    /** The payload's site, when the token is that site's; 401 for no or an unknown token, 403 for another site's. */
    private String authorize(String authorization, JsonNode body) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthenticatedException("send the site's StaffTrace token as Authorization: Bearer <token>");
        }
        byte[] given = AgentCredentials.sha256(authorization.substring(7).strip());
        String owner = null;
        for (Map.Entry<String, IngestConfig.StaffTraceSite> s : config.stafftrace().sites().entrySet()) {
            if (MessageDigest.isEqual(given, HexFormat.of().parseHex(s.getValue().tokenSha256()))) {
                owner = s.getKey();
            }
        }
        if (owner == null) {
            throw new UnauthenticatedException("the token is not valid");
        }
        JsonNode siteId = body.get("siteId");
        if (siteId == null || !siteId.isTextual()) {
            throw new InvalidInputException("siteId is required");
        }
        if (!owner.equals(siteId.textValue())) {
            throw new ForeignSiteException("this token is for site '" + owner + "', not '" + clip(siteId.textValue()) + "'; nothing was stored");
        }
        return owner;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("the body is empty");
        }
        try {
            JsonNode n = json.readTree(body);
            if (!n.isObject()) {
                throw new InvalidInputException("send a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String clip(String s) {
        String t = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }
}
