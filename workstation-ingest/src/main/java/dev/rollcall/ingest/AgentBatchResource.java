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

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/agent/events}: an agent's batch of events (at most 500, 1 MiB), checked all or nothing,
 * appended to their topics, answered {@code 200 {"accepted": n}} only when Kafka acknowledged every one.
 * A re-sent batch is harmless: events keep the ids the agent gave them, and projections drop repeated ids.
 */
@Path("/api/agent/events")
public class AgentBatchResource {

    private final ObjectMapper json;
    private final EventLog log;
    private final Clock clock;
    private final AgentCredentials credentials;
    private final AgentBatches batches;

    public AgentBatchResource(ObjectMapper json, EventLog log, Clock clock, AgentCredentials credentials, IngestConfig config) {
        this.json = json;
        this.log = log;
        this.clock = clock;
        this.credentials = credentials;
        this.batches = new AgentBatches(new TimeBounds(config.timestamps().maxPast(), config.timestamps().maxFuture()));
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> append(@HeaderParam("Authorization") String authorization, String body) {
        return credentials.authenticate(authorization).chain(agent -> {
            List<EventEnvelope> events = batches.check(parse(body), agent, clock.instant());
            List<Uni<Void>> appends = events.stream().map(log::append).toList();
            return Uni.join().all(appends).andCollectFailures()
                    .onFailure().transform(e -> e instanceof EventLogUnavailableException ? e : new EventLogUnavailableException(e))
                    .map(done -> Map.of("accepted", events.size()));
        });
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidInputException("the body is empty: send {\"events\": [ … ]}");
        }
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
