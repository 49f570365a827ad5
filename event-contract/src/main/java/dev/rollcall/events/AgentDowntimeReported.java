package dev.rollcall.events;

import java.time.Instant;
import java.util.Objects;

/**
 * An agent reports, after it came back, that it was not observing from {@code start} to {@code end}: presence
 * then is unknown, not absent. The envelope's {@code subject} is the agent.
 */
public record AgentDowntimeReported(Instant start, Instant end) implements RollcallEvent {

    public static final String TYPE = "rollcall.agents.downtime-reported.v1";

    public AgentDowntimeReported {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a downtime ends after it starts: " + start + " .. " + end);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Topic topic() {
        return Topic.AGENTS;
    }
}
