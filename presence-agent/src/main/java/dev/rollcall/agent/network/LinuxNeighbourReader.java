package dev.rollcall.agent.network;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Linux: {@code /proc/net/arp} ({@link NeighbourTable}), matched to the targets by interface name. */
public record LinuxNeighbourReader(Path table) implements NeighbourReader {

    @Override
    public List<Sighting> read(List<ScanTarget> targets) throws IOException {
        return NeighbourTable.read(table).stream()
                .filter(e -> NeighbourReader.inTargets(targets, e.ip(), t -> t.interfaceName().equals(e.device())))
                .map(e -> new Sighting(e.mac(), e.ip()))
                .toList();
    }

    /** From the interfaces' own timers in {@code /proc/sys/net/ipv4/neigh/} (8.5 s with Linux defaults). */
    @Override
    public Duration settle(List<ScanTarget> targets) {
        return targets.stream().map(ScanTarget::interfaceName).distinct()
                .map(NeighbourTimers::read).map(NeighbourTimers::settle)
                .max(Duration::compareTo).orElse(NeighbourTimers.LINUX_DEFAULTS.settle());
    }

    @Override
    public String describe() {
        return "kernel neighbour table (" + table + ")";
    }
}
