package dev.rollcall.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.DeviceStateChanged;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventDecodingException;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.events.WorkstationSessionChanged;
import dev.rollcall.events.WorkstationStateChanged;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a batch of agent events, all or nothing: every event must decode, be a kind agents send, come from
 * this agent ({@code source = agent/<agentId>}), lie in a believable time window and belong to the agent's
 * own site. An outage an agent reports ({@link AgentDowntimeReported}, after a restart) must be about itself
 * ({@code subject} = its agent id; another's is refused like another site's) and lie in the same window.
 * Pure: the clock comes in as {@code now}.
 */
public final class AgentBatches {

    public static final int MAX_EVENTS = 500;

    private final TimeBounds bounds;

    public AgentBatches(TimeBounds bounds) {
        this.bounds = bounds;
    }

    /** The batch's events, in order, or an exception saying what is wrong with which. */
    public List<EventEnvelope> check(JsonNode body, AgentCredentials.Agent agent, Instant now) {
        JsonNode events = body == null ? null : body.get("events");
        if (body == null || !body.isObject() || events == null || !events.isArray()) {
            throw new InvalidInputException("send a JSON object {\"events\": [ … ]} of CloudEvents");
        }
        if (events.isEmpty()) {
            throw new InvalidInputException("the batch is empty");
        }
        if (events.size() > MAX_EVENTS) {
            throw new InvalidInputException("a batch holds at most " + MAX_EVENTS + " events, this one " + events.size());
        }
        List<EventEnvelope> out = new ArrayList<>(events.size());
        List<InvalidBatchException.EventError> errors = new ArrayList<>();
        Set<Integer> foreign = new HashSet<>();
        Set<Integer> otherAgent = new HashSet<>();
        String source = "agent/" + agent.id();
        for (int i = 0; i < events.size(); i++) {
            JsonNode n = events.get(i);
            String id = n != null && n.hasNonNull("id") && n.get("id").isTextual() ? n.get("id").textValue() : null;
            try {
                EventEnvelope e = EventCodec.fromTree(n);
                if (!(e.data() instanceof DeviceStateChanged || e.data() instanceof AgentHeartbeat
                        || e.data() instanceof WorkstationStateChanged || e.data() instanceof WorkstationSessionChanged
                        || e.data() instanceof AgentDowntimeReported)) {
                    throw new InvalidInputException(e.type() + " is not an event agents send");
                }
                if (!source.equals(e.source())) {
                    throw new InvalidInputException("source must be '" + source + "' (this agent), got '" + e.source() + "'");
                }
                if (e.data() instanceof AgentHeartbeat h && !h.agentId().equals(agent.id())) {
                    throw new InvalidInputException("a heartbeat's agentId must be this agent's, '" + agent.id() + "'");
                }
                bounds.check("time", e.time(), now);
                if (e.data() instanceof AgentDowntimeReported d) {
                    if (!agent.id().equals(e.subject())) {
                        otherAgent.add(i);
                    }
                    bounds.check("start", d.start(), now);
                    bounds.check("end", d.end(), now);
                }
                if (!e.site().equals(agent.site())) {
                    foreign.add(i);
                }
                out.add(e);
            } catch (EventDecodingException | InvalidInputException ex) {
                errors.add(new InvalidBatchException.EventError(i, id, ex.getMessage()));
            }
        }
        if (!foreign.isEmpty()) {
            throw new ForeignSiteException("this agent writes only to site '" + agent.site() + "'; events at "
                    + foreign.stream().sorted().toList() + " name another site; nothing was stored");
        }
        if (!otherAgent.isEmpty()) {
            throw new ForeignSiteException("an agent reports only its own downtime (subject '" + agent.id() + "'); events at "
                    + otherAgent.stream().sorted().toList() + " name another agent; nothing was stored");
        }
        if (!errors.isEmpty()) {
            throw new InvalidBatchException(errors);
        }
        return out;
    }
}
