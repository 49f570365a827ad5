package dev.rollcall.agent;

import dev.rollcall.agent.enroll.EnrollCommand;
import dev.rollcall.agent.network.NetworkCommand;
import dev.rollcall.agent.workstation.WorkstationCommand;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code presence-agent} top command. The collectors are its subcommands, one class each:
 * {@code enroll} ({@link EnrollCommand}), {@code network} ({@link NetworkCommand}) and {@code workstation}
 * ({@link WorkstationCommand}).
 */
@TopCommand
@Command(
        name = "presence-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        usageHelpAutoWidth = true,
        subcommands = {EnrollCommand.class, NetworkCommand.class, WorkstationCommand.class},
        description = {
            "Rollcall's presence agent, one binary for Linux and Windows. It collects presence signals on "
                    + "a site: the network collector watches the office LAN's ARP/neighbour table for devices "
                    + "coming and going; the workstation collector reports whether the user at a Windows or Linux "
                    + "desktop is working or stopped (input idle time, lock, suspend, logoff). Every signal becomes "
                    + "an event in a durable local outbox that survives crashes and restarts, and is shipped over HTTPS "
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
