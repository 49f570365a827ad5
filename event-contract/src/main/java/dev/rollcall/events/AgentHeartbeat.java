package dev.rollcall.events;

import java.util.List;
import java.util.Objects;

/**
 * An agent says it is alive (every 5 minutes) and how it is doing. The envelope's {@code source} and
 * {@code subject} are the agent id. {@code devicesOnline} (network agents) lets the server correct a lost
 * state change; it is empty for a workstation agent.
 *
 * @param uptimeSeconds  since the agent process started
 * @param outboxDepth    events waiting in its local outbox
 * @param lastScanMillis   how long its last scan took; {@code null} for agents that do not scan
 * @param employeesPresent for an agent that keeps its own device-to-employee mapping (StaffTrace's): the employee ids
 *                         it reports present now (ids only, never names), sorted, at most {@value #MAX_DEVICES};
 *                         {@code null} (absent, as from Rollcall's own agents and every heartbeat written before this
 *                         field) when the agent does not report employees
 * @param stopping         the agent's last heartbeat before a deliberate stop (SIGTERM, logoff, shutdown): the silence
 *                         that follows was chosen, not a failure. Absent on the wire means {@code false}.
 */
public record AgentHeartbeat(String agentId, String version, String host, String os, long uptimeSeconds,
                             int outboxDepth, Long lastScanMillis, List<String> devicesOnline,
                             List<String> employeesPresent, boolean stopping) implements RollcallEvent {

    public static final String TYPE = "rollcall.agents.heartbeat.v1";
    public static final int MAX_DEVICES = 4096;

    public AgentHeartbeat {
        agentId = ContractChecks.requireText("agentId", agentId, 128);
        version = ContractChecks.requireText("version", version, 64);
        host = ContractChecks.requireText("host", host, 255);
        os = ContractChecks.requireText("os", os, 128);
        if (uptimeSeconds < 0 || outboxDepth < 0 || (lastScanMillis != null && lastScanMillis < 0)) {
            throw new IllegalArgumentException("uptimeSeconds, outboxDepth and lastScanMillis cannot be negative");
        }
        Objects.requireNonNull(devicesOnline, "devicesOnline");
        if (devicesOnline.size() > MAX_DEVICES) {
            throw new IllegalArgumentException("devicesOnline lists more than " + MAX_DEVICES + " devices");
        }
        devicesOnline = devicesOnline.stream().map(ContractChecks::requireMac).distinct().sorted().toList();
        if (employeesPresent != null) {
            if (employeesPresent.size() > MAX_DEVICES) {
                throw new IllegalArgumentException("employeesPresent lists more than " + MAX_DEVICES + " employees");
            }
            employeesPresent = employeesPresent.stream().map(ContractChecks::requireEmployeeId).distinct().sorted().toList();
        }
    }

    /** A heartbeat of an agent that goes on running and does not report employees (Rollcall's own agents). */
    public AgentHeartbeat(String agentId, String version, String host, String os, long uptimeSeconds, int outboxDepth,
                          Long lastScanMillis, List<String> devicesOnline) {
        this(agentId, version, host, os, uptimeSeconds, outboxDepth, lastScanMillis, devicesOnline, null, false);
    }

    /** A heartbeat of an agent that reports the employees present (StaffTrace's) and goes on running. */
    public AgentHeartbeat(String agentId, String version, String host, String os, long uptimeSeconds, int outboxDepth,
                          Long lastScanMillis, List<String> devicesOnline, List<String> employeesPresent) {
        this(agentId, version, host, os, uptimeSeconds, outboxDepth, lastScanMillis, devicesOnline, employeesPresent, false);
    }

    /** A heartbeat of Rollcall's own agents; {@code stopping}: its last before a deliberate stop. */
    public AgentHeartbeat(String agentId, String version, String host, String os, long uptimeSeconds, int outboxDepth,
                          Long lastScanMillis, List<String> devicesOnline, boolean stopping) {
        this(agentId, version, host, os, uptimeSeconds, outboxDepth, lastScanMillis, devicesOnline, null, stopping);
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
