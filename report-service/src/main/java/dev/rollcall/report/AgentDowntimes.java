package dev.rollcall.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent's downtimes as a reader shows them: the stored ones (gaps and reported outages, which may overlap)
 * merged, plus, for an agent silent for longer than the offline threshold now, an open one from its last
 * heartbeat. Pure: the clock is a parameter.
 */
final class AgentDowntimes {

    private AgentDowntimes() {
    }

    /** A stored downtime row of {@code agent_downtime}. */
    record Stored(String agentId, Instant start, Instant end, String cause) {
    }

    /**
     * @param lastHeartbeats each known agent's last heartbeat
     * @param presenceAgents which agents observe presence (network agents); others' downtimes are marked so
     */
    static List<AgentDowntime> asOf(List<Stored> stored, Map<String, Instant> lastHeartbeats,
                                    java.util.function.Predicate<String> presenceAgents, Instant now, AgentHealth.Thresholds health) {
        return asOf(stored, lastHeartbeats, presenceAgents, a -> false, now, health);
    }

    /**
     * @param stoppedByHost which agents' last heartbeat said they were stopping: their open downtime is
     *                      {@code stopped} (by their host), not {@code silent}
     */
    static List<AgentDowntime> asOf(List<Stored> stored, Map<String, Instant> lastHeartbeats,
                                    java.util.function.Predicate<String> presenceAgents,
                                    java.util.function.Predicate<String> stoppedByHost, Instant now, AgentHealth.Thresholds health) {
        Map<String, List<AgentDowntime>> byAgent = new LinkedHashMap<>();
        for (Stored s : stored) {
            byAgent.computeIfAbsent(s.agentId(), k -> new ArrayList<>())
                    .add(new AgentDowntime(s.agentId(), s.start(), s.end(), s.cause(), presenceAgents.test(s.agentId())));
        }
        lastHeartbeats.forEach((agent, last) -> {
            if (AgentHealth.of(last, now, health) == AgentHealth.OFFLINE) {
                byAgent.computeIfAbsent(agent, k -> new ArrayList<>())
                        .add(new AgentDowntime(agent, last, null, stoppedByHost.test(agent) ? "stopped" : "silent",
                                presenceAgents.test(agent)));
            }
        });
        List<AgentDowntime> out = new ArrayList<>();
        byAgent.values().forEach(list -> out.addAll(merge(list)));
        out.sort(Comparator.comparing(AgentDowntime::start).thenComparing(AgentDowntime::agentId));
        return out;
    }

    /** One agent's downtimes, overlapping or touching ones merged (an open one swallows everything after it). */
    static List<AgentDowntime> merge(List<AgentDowntime> oneAgent) {
        List<AgentDowntime> sorted = new ArrayList<>(oneAgent);
        sorted.sort(Comparator.comparing(AgentDowntime::start));
        List<AgentDowntime> merged = new ArrayList<>();
        for (AgentDowntime d : sorted) {
            AgentDowntime last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && (last.end() == null || !d.start().isAfter(last.end()))) {
                Instant end = last.end() == null || d.end() == null ? null : (d.end().isAfter(last.end()) ? d.end() : last.end());
                merged.set(merged.size() - 1, new AgentDowntime(last.agentId(), last.start(), end, last.cause(), last.presence()));
            } else {
                merged.add(d);
            }
        }
        return merged;
    }
}
