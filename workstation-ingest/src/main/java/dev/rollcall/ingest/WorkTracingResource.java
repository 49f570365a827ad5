package dev.rollcall.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/report}, as the work-tracing PowerShell client sends it: {@code 201 {"success": true}} once the
 * event is in Kafka, {@code 400 {"success": false, "message": …}} for bad input, with nothing appended.
 */
@Path("/api/report")
public class WorkTracingResource {

    private final ObjectMapper json;
    private final EventLog log;
    private final Clock clock;
    private final WorkTracingReports reports;

    public WorkTracingResource(ObjectMapper json, EventLog log, Clock clock, IngestConfig config) {
        this.json = json;
        this.log = log;
        this.clock = clock;
        this.reports = new WorkTracingReports(config.workTracing().site(), config.workTracing().zone(),
                new TimeBounds(config.timestamps().maxPast(), config.timestamps().maxFuture()));
    }

    // The client's Content-Type is not trusted to be exact (PowerShell sends several): the body is read as text.
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> report(String body) {
        var event = reports.toEvent(parse(body), clock.instant(), UUID.randomUUID());
        return log.append(event).replaceWith(() -> Response.status(Response.Status.CREATED)
                .entity(Map.of("success", true, "id", event.id().toString()))
                .build());
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("the body is empty: send a JSON object with user, state and optionally ts");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
