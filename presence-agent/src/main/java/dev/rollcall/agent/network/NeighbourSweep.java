package dev.rollcall.agent.network;

import dev.rollcall.agent.Sleeper;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The unprivileged sweep, in pure Java: send one small UDP datagram (to the discard port, 9) to every host
 * address of the subnets, which makes the kernel resolve each address by ARP; wait until the kernel has
 * settled who answered ({@link NeighbourTimers}); then read the neighbour table ({@link NeighbourReader}: Linux's
 * {@code /proc/net/arp}, Windows' {@code arp -a}) and keep the complete entries on the subnets' interfaces. No raw
 * sockets, no capabilities: any user may send a datagram and read the table. Whether a device has a UDP port 9 open does not matter; that it answers ARP does.
 */
public final class NeighbourSweep implements DeviceSweep {

    private static final Logger LOG = Logger.getLogger(NeighbourSweep.class);
    private static final int DISCARD_PORT = 9;
    private static final byte[] PAYLOAD = "rollcall presence scan".getBytes(StandardCharsets.US_ASCII);
    /** About a thousand datagrams a second: gentle on a Wi-Fi's broadcast airtime, still a /22 in a second. */
    private static final int BURST = 16;
    private static final Duration BURST_PAUSE = Duration.ofMillis(16);

    private final List<ScanTarget> targets;
    private final Duration settle;
    private final NeighbourReader neighbours;
    private final Sleeper sleeper;

    /**
     * @param settle how long to wait after the last datagram; {@code null} asks the reader (from the interfaces'
     *               kernel timers on Linux, 8.5 s with defaults)
     */
    public NeighbourSweep(List<ScanTarget> targets, Duration settle, NeighbourReader neighbours, Sleeper sleeper) {
        this.targets = List.copyOf(targets);
        this.settle = settle != null ? settle : neighbours.settle(this.targets);
        this.neighbours = neighbours;
        this.sleeper = sleeper;
    }

    @Override
    public List<Sighting> scan() throws IOException, InterruptedException {
        Set<Integer> own = localAddresses();
        int sent = 0;
        int failed = 0;
        IOException firstFailure = null;
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            for (ScanTarget t : targets) {
                for (int host : (Iterable<Integer>) t.subnet().hosts().boxed()::iterator) {
                    if (own.contains(host)) {
                        continue;
                    }
                    try {
                        ch.send(ByteBuffer.wrap(PAYLOAD), new InetSocketAddress(Subnet.toAddress(host), DISCARD_PORT));
                        sent++;
                    } catch (IOException e) {
                        // e.g. "network unreachable" for one address: the others still count.
                        failed++;
                        firstFailure = firstFailure == null ? e : firstFailure;
                    }
                    if ((sent + failed) % BURST == 0) {
                        sleeper.sleep(BURST_PAUSE);
                    }
                }
            }
        }
        if (sent == 0 && firstFailure != null) {
            throw new IOException("no datagram could be sent to " + targets + ": " + firstFailure.getMessage(),
                    firstFailure);
        }
        if (failed > 0) {
            LOG.debugf("%d of %d datagrams could not be sent (first: %s)", failed, sent + failed, firstFailure);
        }
        sleeper.sleep(settle);
        return neighbours.read(targets);
    }

    private static Set<Integer> localAddresses() throws SocketException {
        Set<Integer> own = new HashSet<>();
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
            ni.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(a -> own.add(Subnet.toInt(a)));
        }
        return own;
    }

    public Duration settle() {
        return settle;
    }

    @Override
    public String describe() {
        return "UDP sweep + " + neighbours.describe() + ", waiting " + settle.toMillis()
                + " ms for ARP to settle, on " + targets;
    }
}
