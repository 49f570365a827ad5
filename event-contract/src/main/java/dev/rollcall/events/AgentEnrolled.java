package dev.rollcall.events;

/**
 * An agent exchanged a one-time enrollment code for its own credential: from now on it may write to the
 * envelope's {@code site}, until it is revoked. The secret is never in the event (the ingest keeps only its
 * hash). {@code source} is the ingest, {@code subject} the agent id.
 *
 * @param agentId the agent's id, the part before the dot of its credential
 * @param host    the host name the agent said it runs on, when it said one
 */
public record AgentEnrolled(String agentId, String host) implements RollcallEvent {

    public static final String TYPE = "rollcall.agents.enrolled.v1";

    public AgentEnrolled {
        agentId = ContractChecks.requireAgentId(agentId);
        host = host == null || host.isBlank() ? null : ContractChecks.requireText("host", host, 255);
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
