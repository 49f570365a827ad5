package dev.rollcall.agent.network;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * An IPv4 subnet to sweep, like {@code 192.168.10.0/24}. IPv4 only: an IPv6 /64 cannot be swept address by
 * address, and phones on an office Wi-Fi always have an IPv4 address.
 *
 * @param network the network address as an unsigned 32-bit value in an int (host bits are zero)
 * @param prefix  the prefix length, 0 to 32
 */
public record Subnet(int network, int prefix) {

    /** Without {@code --allow-large}, a sweep covers at most a /22 (1022 hosts) in total. */
    public static final int DEFAULT_MAX_HOSTS = 1022;
    /** Even with {@code --allow-large}: a /16. The kernel's neighbour table is not sized for more. */
    public static final int ABSOLUTE_MAX_HOSTS = 65534;

    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    public Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix must be 0 to 32");
        }
        network &= mask(prefix);
    }

    /**
     * Parses {@code a.b.c.d/len}. Host bits are cleared, so {@code 10.0.0.17/24} (as {@code ip addr} prints an
     * interface's address) means {@code 10.0.0.0/24}.
     */
    public static Subnet parse(String cidr) {
        String s = cidr == null ? "" : cidr.strip();
        Matcher m = CIDR.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("subnet must be an IPv4 CIDR like 192.168.10.0/24, got '" + s + "'");
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("subnet '" + s + "' has an octet above 255");
            }
            address = address << 8 | octet;
        }
        int prefix = Integer.parseInt(m.group(5));
        if (prefix > 32) {
            throw new IllegalArgumentException("subnet '" + s + "' has a prefix above 32");
        }
        return new Subnet(address, prefix);
    }

    /**
     * Refuses sweeps that are too large to be meant: more than {@link #DEFAULT_MAX_HOSTS} host addresses in
     * total unless {@code allowLarge}, and never more than {@link #ABSOLUTE_MAX_HOSTS}.
     */
    public static void checkSize(Collection<Subnet> subnets, boolean allowLarge) {
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("at least one --subnet is required");
        }
        long hosts = subnets.stream().mapToLong(Subnet::hostCount).sum();
        if (hosts > ABSOLUTE_MAX_HOSTS) {
            throw new IllegalArgumentException("the subnets hold " + hosts + " host addresses; at most "
                    + ABSOLUTE_MAX_HOSTS + " (a /16) can be swept, and an office Wi-Fi is far smaller");
        }
        if (hosts > DEFAULT_MAX_HOSTS && !allowLarge) {
            throw new IllegalArgumentException("the subnets hold " + hosts + " host addresses, more than a /22 ("
                    + DEFAULT_MAX_HOSTS + "); check the prefix length, or pass --allow-large if it is meant");
        }
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** Addresses a device can have: all but the network and broadcast address (a /31 and a /32 have no such). */
    public long hostCount() {
        long size = 1L << (32 - prefix);
        return prefix >= 31 ? size : size - 2;
    }

    /** The host addresses, ascending, as unsigned 32-bit values in ints. */
    public IntStream hosts() {
        long first = Integer.toUnsignedLong(network) + (prefix >= 31 ? 0 : 1);
        return IntStream.range(0, Math.toIntExact(hostCount())).map(i -> (int) (first + i));
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    public boolean contains(InetAddress address) {
        return address instanceof Inet4Address && contains(toInt(address));
    }

    public static int toInt(InetAddress address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    public static Inet4Address toAddress(int address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {
                (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
