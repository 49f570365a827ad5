package dev.rollcall.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A site's agents as of {@code generatedAt}: each with its health (judged now from its last heartbeat) and what its
 * last heartbeat said; the downtimes of the last {@code historyDays} days, newest first (an ongoing one has no end).
 */
public record AgentsReport(RosterSite site, Instant generatedAt, LocalDate today, int historyDays, long healthyUnderSeconds,
                           long offlineAfterSeconds, List<Agent> agents, List<AgentDowntime> downtimes, String rules) {

    /**
     * The same report without host names, for viewers who may not see who people are: a workstation agent's host is
     * usually named after the person at it ("ANNA-LAPTOP"). Agent ids are made at enrollment and name no one.
     */
    public AgentsReport withoutHosts() {
        return new AgentsReport(site, generatedAt, today, historyDays, healthyUnderSeconds, offlineAfterSeconds,
                agents.stream().map(a -> new Agent(a.agentId(), a.health(), a.lastSeen(), a.secondsSinceLastSeen(), a.firstSeen(),
                        a.version(), null, a.os(), a.uptimeSeconds(), a.outboxDepth(), a.lastScanMillis(), a.devicesOnline(),
                        a.presence(), a.enrolledAt(), a.revokedAt(), a.stoppedAt())).toList(),
                downtimes, rules);
    }

    /**
     * One agent. {@code lastSeen} null: no heartbeat ever (UNKNOWN); {@code presence}: it observes presence (a network
     * agent), so its downtimes make attendance unknown. {@code revokedAt}: an admin revoked it then (it is no longer
     * expected to beat, so its silence is no downtime); {@code enrolledAt}: when it enrolled (null: configured).
     * {@code stoppedAt}: its last heartbeat said it was stopping (SIGTERM, logoff, shutdown), then; null otherwise. A
     * workstation agent is then STOPPED (signed off); a network agent keeps its health, and the page says who stopped it.
     */
    public record Agent(String agentId, AgentHealth health, Instant lastSeen, Long secondsSinceLastSeen, Instant firstSeen,
                        String version, String host, String os, Long uptimeSeconds, Integer outboxDepth, Long lastScanMillis,
                        Integer devicesOnline, boolean presence, Instant enrolledAt, Instant revokedAt, Instant stoppedAt) {

        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** Agents not revoked in this state. */
    public long count(AgentHealth health) {
        return agents.stream().filter(a -> !a.revoked() && a.health() == health).count();
    }

    public long revokedCount() {
        return agents.stream().filter(Agent::revoked).count();
    }

    public long healthyCount() {
        return count(AgentHealth.HEALTHY);
    }

    public long degradedCount() {
        return count(AgentHealth.DEGRADED);
    }

    public long offlineCount() {
        return count(AgentHealth.OFFLINE);
    }

    public long stoppedCount() {
        return count(AgentHealth.STOPPED);
    }

    public long unknownCount() {
        return count(AgentHealth.UNKNOWN);
    }
}
