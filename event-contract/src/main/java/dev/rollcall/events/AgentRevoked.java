package dev.rollcall.events;

/**
 * An administrator revoked an agent's credential: the ingest refuses its requests from now on. {@code source}
 * is who revoked it, {@code subject} the agent id.
 */
public record AgentRevoked(String agentId) implements RollcallEvent {

    public static final String TYPE = "rollcall.agents.revoked.v1";

    public AgentRevoked {
        agentId = ContractChecks.requireAgentId(agentId);
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
