package dev.rollcall.agent.network;

import dev.rollcall.agent.AgentIdentity;
import dev.rollcall.agent.AliveMark;
import dev.rollcall.agent.Sleeper;
import dev.rollcall.agent.outbox.Outbox;
import dev.rollcall.events.EventCodec;
import dev.rollcall.events.EventEnvelope;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The network collector as the agent builds it (real sweep of the kernel's neighbour table, tracker, outbox),
 * driven line by line from stdin so {@link RealArpScanTest} can change the network between scans. Runs inside
 * the lab's agent namespace. Commands and answers:
 * <ul>
 *   <li>(on start) {@code SETTLE <ms>}: the wait it derived from the interface's ARP timers;</li>
 *   <li>{@code scan} → {@code EVENT <json>} per queued event, then {@code SCANNED <epoch ms> <seen> <took ms>};</li>
 *   <li>{@code heartbeat} → {@code EVENT <json>} of the heartbeat;</li>
 *   <li>{@code quit}.</li>
 * </ul>
 * args: outbox directory, subnet, interface, offline-after.
 */
public final class RealArpScanner {

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path outboxDir = Path.of(args[0]);
        List<ScanTarget> targets = ScanTargets.resolve(List.of(Subnet.parse(args[1])), args[2]);
        NeighbourSweep sweep = new NeighbourSweep(targets, null, new LinuxNeighbourReader(NeighbourTable.LINUX), Sleeper.REAL);
        out.println("SETTLE " + sweep.settle().toMillis());
        Clock clock = Clock.systemUTC();
        try (Outbox outbox = Outbox.open(outboxDir, 10_000)) {
            RememberedDevices memory = new RememberedDevices(outboxDir.resolve("network-devices.txt"));
            NetworkCollector collector = new NetworkCollector(sweep,
                    new PresenceTracker(Integer.parseInt(args[3]), memory.load()), memory,
                    new AliveMark(outboxDir.resolve("agent-alive.txt"), Duration.ZERO), outbox,
                    new AgentIdentity("lab-agent", "lab", "test", "lab-host", "Linux", clock.instant()), clock,
                    Duration.ofSeconds(1), Duration.ofMinutes(5));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                if (line.equals("scan")) {
                    NetworkCollector.ScanReport r = collector.scan();
                    for (EventEnvelope e : r.events()) {
                        out.println("EVENT " + EventCodec.encodeToString(e));
                    }
                    out.println("SCANNED " + r.at().toEpochMilli() + " " + r.seen() + " " + r.took().toMillis());
                } else if (line.equals("heartbeat")) {
                    out.println("EVENT " + EventCodec.encodeToString(collector.heartbeat()));
                }
            }
        }
    }
}
