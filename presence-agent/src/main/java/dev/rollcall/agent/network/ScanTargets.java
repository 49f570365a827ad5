package dev.rollcall.agent.network;

import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/** Finds the local interface of each subnet: ARP is link-local, so a subnet must be on one of this machine's links. */
public final class ScanTargets {

    private ScanTargets() {
    }

    /**
     * @param interfaceName the interface to use for all subnets, or {@code null} to find each subnet's own
     * @throws IllegalArgumentException when an interface does not exist or a subnet is on no local link
     */
    public static List<ScanTarget> resolve(List<Subnet> subnets, String interfaceName) throws SocketException {
        List<ScanTarget> out = new ArrayList<>();
        if (interfaceName != null && !interfaceName.isBlank()) {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName.strip());
            if (ni == null) {
                throw new IllegalArgumentException("there is no network interface '" + interfaceName.strip()
                        + "'; this machine's: " + names());
            }
            for (Subnet s : subnets) {
                if (!onLink(ni, s)) {
                    throw new IllegalArgumentException("subnet " + s + " is not on interface " + ni.getName()
                            + ": ARP only sees the interface's own link (its addresses: " + addresses(ni) + ")");
                }
                out.add(new ScanTarget(s, ni.getName()));
            }
            return out;
        }
        List<NetworkInterface> all = NetworkInterface.networkInterfaces().filter(ScanTargets::isUp).toList();
        for (Subnet s : subnets) {
            NetworkInterface found = all.stream().filter(ni -> onLink(ni, s)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("subnet " + s + " is on none of this "
                            + "machine's interfaces: ARP only sees local links (or name one with --interface)"));
            out.add(new ScanTarget(s, found.getName()));
        }
        return out;
    }

    /** Whether the subnet overlaps one of the interface's IPv4 networks. */
    static boolean onLink(NetworkInterface ni, Subnet s) {
        for (InterfaceAddress a : ni.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address) {
                Subnet link = new Subnet(Subnet.toInt(a.getAddress()), a.getNetworkPrefixLength());
                if (link.contains(s.network()) || s.contains(link.network())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isUp(NetworkInterface ni) {
        try {
            return ni.isUp() && !ni.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * The up interfaces' names as the agent knows them (Java's: on Windows {@code wlan1}, {@code eth3}, not the
     * adapter's name, which follows in brackets).
     */
    private static String names() throws SocketException {
        List<String> out = new ArrayList<>();
        for (NetworkInterface ni : NetworkInterface.networkInterfaces().filter(ScanTargets::isUp).toList()) {
            String display = ni.getDisplayName();
            out.add(display == null || display.equals(ni.getName()) ? ni.getName()
                    : ni.getName() + " (" + display + ")");
        }
        return out.isEmpty() ? "none up" : String.join(", ", out);
    }

    private static String addresses(NetworkInterface ni) {
        List<String> out = new ArrayList<>();
        for (InterfaceAddress a : ni.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address) {
                out.add(a.getAddress().getHostAddress() + "/" + a.getNetworkPrefixLength());
            }
        }
        return out.isEmpty() ? "no IPv4" : String.join(", ", out);
    }
}
