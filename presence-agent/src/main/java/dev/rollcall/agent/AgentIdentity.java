package dev.rollcall.agent;

import java.time.Instant;

/**
 * Who this agent is, as its events say it: the agent id (from its credential), the site it serves, and what a
 * heartbeat reports about the process.
 */
public record AgentIdentity(String agentId, String site, String version, String host, String os, Instant startedAt) {

    /** The CloudEvents {@code source} of everything this agent observes. */
    public String source() {
        return "agent/" + agentId;
    }

    /** This machine's name and OS, as a heartbeat shows them. */
    public static AgentIdentity ofThisHost(String agentId, String site, String version, Instant startedAt) {
        return new AgentIdentity(agentId, site, version, hostName(),
                System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", ""), startedAt);
    }

    /** This machine's name, as heartbeats and enrollment report it. */
    public static String hostName() {
        // The kernel's name first: InetAddress.getLocalHost() may wait on DNS, which an office box may lack.
        try {
            String kernel = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (java.io.IOException | RuntimeException notLinux) {
            // fall through
        }
        String windows = System.getenv("COMPUTERNAME");
        if (windows != null && !windows.isBlank()) {
            return windows.strip();
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
