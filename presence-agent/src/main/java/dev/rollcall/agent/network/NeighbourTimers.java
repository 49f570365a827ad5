package dev.rollcall.agent.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The kernel's ARP timers of one interface, which decide how long a sweep must wait for its answer.
 *
 * <p>A datagram to an address whose neighbour entry is STALE moves it to DELAY; after
 * {@code delay_first_probe_time} the kernel sends {@code ucast_solicit} unicast ARP probes
 * {@code retrans_time_ms} apart; an answer makes it REACHABLE, silence makes it FAILED. {@code /proc/net/arp}
 * shows DELAY and PROBE entries as complete too, so only after that whole sequence does the table tell a
 * device that is still there from one that left. (An address without an entry is resolved by broadcast at
 * once: a device that is there answers within milliseconds.)
 *
 * <p>With Linux defaults (5 s, 3 probes, 1 s) that is 8 s, plus a margin.
 */
public record NeighbourTimers(Duration delayFirstProbe, Duration retrans, int unicastProbes, int appProbes,
                              int multicastResolicit) {

    public static final NeighbourTimers LINUX_DEFAULTS =
            new NeighbourTimers(Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 0, 0);
    /** RFC 4861's DELAY_FIRST_PROBE_TIME, MAX_UNICAST_SOLICIT and RETRANS_TIMER, which Windows uses for IPv4 too. */
    public static final NeighbourTimers WINDOWS_DEFAULTS =
            new NeighbourTimers(Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 0, 0);
    static final Duration MARGIN = Duration.ofMillis(500);

    /** Reads {@code /proc/sys/net/ipv4/neigh/<interface>/}; anything unreadable keeps the Linux default. */
    public static NeighbourTimers read(Path procSysNeigh, String interfaceName) {
        Path dir = procSysNeigh.resolve(interfaceName);
        NeighbourTimers d = LINUX_DEFAULTS;
        return new NeighbourTimers(
                Duration.ofSeconds(number(dir.resolve("delay_first_probe_time"), d.delayFirstProbe().toSeconds())),
                Duration.ofMillis(number(dir.resolve("retrans_time_ms"), d.retrans().toMillis())),
                (int) number(dir.resolve("ucast_solicit"), d.unicastProbes()),
                (int) number(dir.resolve("app_solicit"), d.appProbes()),
                (int) number(dir.resolve("mcast_resolicit"), d.multicastResolicit()));
    }

    public static NeighbourTimers read(String interfaceName) {
        return read(Path.of("/proc/sys/net/ipv4/neigh"), interfaceName);
    }

    /** How long after its last datagram a sweep waits before it reads the table. */
    public Duration settle() {
        int probes = unicastProbes + appProbes + multicastResolicit;
        return delayFirstProbe.plus(retrans.multipliedBy(probes)).plus(MARGIN);
    }

    /**
     * One {@code read()}: a sysctl integer answers only a read at offset 0 (a second read gets end-of-file), and
     * {@code Files.readString} first reads a single byte to probe a file that claims size 0. It would see "1"
     * of "1000".
     */
    private static long number(Path file, long fallback) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64];
            int n = in.read(buf);
            long v = n <= 0 ? -1 : Long.parseLong(new String(buf, 0, n, StandardCharsets.US_ASCII).strip());
            return v >= 0 ? v : fallback;
        } catch (IOException | NumberFormatException e) {
            return fallback;
        }
    }
}
