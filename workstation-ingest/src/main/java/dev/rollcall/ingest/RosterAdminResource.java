package dev.rollcall.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollcall.events.DeviceAssigned;
import dev.rollcall.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Roster administration until the HR web has its pages (issue 7): each request becomes one roster event on
 * {@code rollcall.roster}, answered once Kafka acknowledged it. Bearer {@code ingest.admin.token}.
 * <ul>
 *   <li>{@code PUT /api/admin/roster/sites/{site}} {@code {"name", "zone", "presenceGraceMinutes"?}}</li>
 *   <li>{@code PUT …/sites/{site}/employees/{employeeId}} {@code {"name", "active"?}}</li>
 *   <li>{@code PUT …/sites/{site}/devices/{mac}} {@code {"employeeId", "label"?, "from"?}} (effective from
 *       {@code from}, default now)</li>
 *   <li>{@code DELETE …/sites/{site}/devices/{mac}?from=}</li>
 * </ul>
 */
@Path("/api/admin/roster/sites/{site}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class RosterAdminResource {

    private final ObjectMapper json;
    private final EventLog log;
    private final Clock clock;
    private final AdminToken admin;
    private final RosterCommands commands;

    public RosterAdminResource(ObjectMapper json, EventLog log, Clock clock, AdminToken admin, IngestConfig config) {
        this.json = json;
        this.log = log;
        this.clock = clock;
        this.admin = admin;
        this.commands = new RosterCommands(new TimeBounds(config.timestamps().maxPast(), config.timestamps().maxFuture()));
    }

    @PUT
    public Uni<Map<String, Object>> site(@HeaderParam("Authorization") String auth, @PathParam("site") String site, String body) {
        String who = admin.require(auth);
        return append(commands.configureSite(site, parse(body), who, clock.instant(), UUID.randomUUID()));
    }

    @PUT
    @Path("employees/{employeeId}")
    public Uni<Map<String, Object>> employee(@HeaderParam("Authorization") String auth, @PathParam("site") String site,
                                             @PathParam("employeeId") String employeeId, String body) {
        String who = admin.require(auth);
        return append(commands.updateEmployee(site, employeeId, parse(body), who, clock.instant(), UUID.randomUUID()));
    }

    @PUT
    @Path("devices/{mac}")
    public Uni<Map<String, Object>> assign(@HeaderParam("Authorization") String auth, @PathParam("site") String site,
                                           @PathParam("mac") String mac, String body) {
        String who = admin.require(auth);
        return append(commands.assignDevice(site, mac, parse(body), who, clock.instant(), UUID.randomUUID()));
    }

    @DELETE
    @Path("devices/{mac}")
    public Uni<Map<String, Object>> release(@HeaderParam("Authorization") String auth, @PathParam("site") String site,
                                            @PathParam("mac") String mac, @QueryParam("from") String from) {
        String who = admin.require(auth);
        return append(commands.releaseDevice(site, mac, from, who, clock.instant(), UUID.randomUUID()));
    }

    private Uni<Map<String, Object>> append(EventEnvelope e) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", e.id().toString());
        answer.put("type", e.type());
        answer.put("site", e.site());
        answer.put("effectiveFrom", e.time().toString());
        if (e.data() instanceof DeviceAssigned a && a.randomised()) {
            answer.put("warning", "this is a randomised (locally administered) MAC address: the phone may use another "
                    + "one tomorrow or on another network; turn off private addresses for this Wi-Fi on the device");
        }
        return log.append(e).replaceWith(answer);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("the body is empty: send a JSON object");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
