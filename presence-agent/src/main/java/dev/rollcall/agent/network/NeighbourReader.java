package dev.rollcall.agent.network;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where {@link NeighbourSweep} learns who answered its datagrams: the system's IPv4 neighbour (ARP) table, read
 * after the sweep. One per system that has a table any user may read.
 */
public interface NeighbourReader {

    /** The resolved, dynamic entries on the targets' interfaces and inside their subnets. */
    List<Sighting> read(List<ScanTarget> targets) throws IOException;

    /**
     * How long after its last datagram a sweep waits before it reads the table: until a neighbour that left has
     * failed its unicast probes (see {@link NeighbourTimers}).
     */
    Duration settle(List<ScanTarget> targets);

    /** Where it reads, for the log. */
    String describe();

    /**
     * The reader for the system named by {@code os.name}: {@code /proc/net/arp} on Linux, {@code arp -a} on
     * Windows; empty anywhere else.
     */
    static Optional<NeighbourReader> forSystem(String osName) {
        if (osName == null) {
            return Optional.empty();
        }
        if (osName.startsWith("Linux")) {
            return Optional.of(new LinuxNeighbourReader(NeighbourTable.LINUX));
        }
        if (osName.startsWith("Windows")) {
            return Optional.of(new WindowsNeighbourReader(WindowsNeighbourReader.arpCommand(
                    WindowsNeighbourReader.systemArp(System.getenv("SystemRoot"))), WindowsNeighbourReader::addressesOf));
        }
        return Optional.empty();
    }

    /** Whether a sighting of {@code ip} counts for one of the targets on the interface {@code onInterface} accepts. */
    static boolean inTargets(List<ScanTarget> targets, String ip, java.util.function.Predicate<ScanTarget> onInterface) {
        int address = Subnet.parse(ip + "/32").network();
        return targets.stream().anyMatch(t -> onInterface.test(t) && t.subnet().contains(address));
    }
}
