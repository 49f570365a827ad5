package dev.rollcall.agent;

import dev.rollcall.agent.enroll.EnrollCommand;
import dev.rollcall.agent.network.NetworkCommand;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code presence-agent} top command. The collectors are its subcommands, one class each:
 * {@code enroll} ({@link EnrollCommand}), {@code network} ({@link NetworkCommand}); {@code workstation} comes later.
 */
@TopCommand
@Command(
        name = "presence-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        usageHelpAutoWidth = true,
        subcommands = {EnrollCommand.class, NetworkCommand.class},
        description = {
            "Rollcall's presence agent, one binary for Linux and Windows. It collects presence signals on "
                    + "a site: the network collector watches the office LAN's ARP/neighbour table for devices "
                    + "coming and going (a workstation collector, reporting when a workstation is active or idle, "
                    + "comes later). Every signal becomes an event in a "
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
