package dev.rollcall.agent.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The kernel's IPv4 neighbour (ARP) table as Linux shows it to any user in {@code /proc/net/arp}:
 *
 * <pre>
 * IP address       HW type     Flags       HW address            Mask     Device
 * 192.168.10.23    0x1         0x2         3c:22:fb:12:34:56     *        wlan0
 * </pre>
 *
 * Only resolved entries count: flag {@code ATF_COM} (0x2), an Ethernet hardware type and a non-zero MAC.
 * Static entries ({@code ATF_PERM}, 0x4) are left out: they are configuration, not a device that answered.
 */
public final class NeighbourTable {

    public static final Path LINUX = Path.of("/proc/net/arp");

    private static final int ATF_COM = 0x2;
    private static final int ATF_PERM = 0x4;
    private static final int ARPHRD_ETHER = 0x1;
    private static final Pattern MAC = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");
    private static final String ZERO_MAC = "00:00:00:00:00:00";

    /** One resolved entry. */
    public record Entry(String ip, String mac, String device) {
    }

    private NeighbourTable() {
    }

    public static List<Entry> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** The resolved entries of a {@code /proc/net/arp} text; malformed lines are skipped, never guessed at. */
    public static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 6 || f[0].equals("IP")) {
                continue;
            }
            Integer hwType = hex(f[1]);
            Integer flags = hex(f[2]);
            String mac = f[3].toLowerCase(Locale.ROOT);
            if (hwType == null || flags == null || hwType != ARPHRD_ETHER || (flags & ATF_COM) == 0
                    || (flags & ATF_PERM) != 0 || !MAC.matcher(mac).matches() || mac.equals(ZERO_MAC)) {
                continue;
            }
            try {
                Subnet.parse(f[0] + "/32");
            } catch (IllegalArgumentException notIpv4) {
                continue;
            }
            out.add(new Entry(f[0], mac, f[5]));
        }
        return out;
    }

    private static Integer hex(String s) {
        if (!s.startsWith("0x")) {
            return null;
        }
        try {
            return Integer.parseInt(s.substring(2), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
