package dev.rollcall.agent;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code presence-agent} top command. The collectors will be its subcommands; until they exist it
 * only answers {@code --help} and {@code --version}.
 */
@TopCommand
@Command(
        name = "presence-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        usageHelpAutoWidth = true,
        description = {
            "Rollcall's presence agent, one binary for Linux and Windows. It will collect presence "
                    + "signals on a site: a network collector that watches the office LAN's ARP/neighbour "
                    + "table for known devices, and a workstation collector that reports when a workstation "
                    + "is active or idle and when sessions start and end. Every signal becomes an event in a "
                    + "durable local outbox that survives crashes and restarts, and is shipped over HTTPS "
                    + "(outbound only, with the agent's credential) to workstation-ingest.",
            ""
        })
public class PresenceAgentCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to run: show what the agent is, as {@code --help} does. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
