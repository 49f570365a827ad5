package dev.rollcall.agent.network;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Windows' IPv4 neighbour (ARP) cache as {@code arp -a} prints it to any user, one section per interface:
 *
 * <pre>
 * Interface: 192.168.10.5 --- 0xb
 *   Internet Address      Physical Address      Type
 *   192.168.10.23         3c-22-fb-12-34-56     dynamic
 *   192.168.10.255        ff-ff-ff-ff-ff-ff     static
 * </pre>
 *
 * Every word is localised ({@code Schnittstelle}, {@code dynamisch}, {@code statisch} …), so lines are read by
 * their shape only: a section starts at a line with an IPv4 address and the interface index {@code 0x…} (the
 * address is the interface's own); an entry is an IPv4 address followed by a dash-separated MAC. Left out:
 * broadcast and multicast MACs (the group bit: {@code ff-ff-…}, {@code 01-00-5e-…}), the zero MAC of an
 * unresolved entry ({@code invalid}), entries before any section, and static entries, as on Linux: they are
 * configuration, not a device that answered. Which word means "static" is learnt from the same output: Windows
 * lists every broadcast and multicast entry as static.
 */
public final class WindowsArpTable {

    private static final String IPV4 = "(\\d{1,3}(?:\\.\\d{1,3}){3})";
    private static final Pattern ENTRY = Pattern.compile(
            "^\\s*" + IPV4 + "\\s+([0-9a-fA-F]{2}(?:-[0-9a-fA-F]{2}){5})(?:\\s+(\\S+))?\\s*$");
    private static final Pattern SECTION = Pattern.compile("^\\S.*?\\b" + IPV4 + "\\b.*\\s0x[0-9a-fA-F]+\\s*$");
    private static final String ZERO_MAC = "00:00:00:00:00:00";

    /** One resolved entry, and the address of the interface whose section lists it. */
    public record Entry(String interfaceAddress, String ip, String mac) {
    }

    private WindowsArpTable() {
    }

    /** The resolved, dynamic unicast entries of an {@code arp -a} output; anything else is skipped, never guessed at. */
    public static List<Entry> parse(String text) {
        record Line(String interfaceAddress, String ip, String mac, String type) {
        }
        List<Line> lines = new ArrayList<>();
        Set<String> staticWords = new HashSet<>();
        String section = null;
        for (String raw : text.split("\r?\n|\r")) {
            Matcher e = ENTRY.matcher(raw);
            if (e.matches()) {
                String mac = e.group(2).toLowerCase(Locale.ROOT).replace('-', ':');
                String type = e.group(3) == null ? "" : e.group(3).toLowerCase(Locale.ROOT);
                if (isGroup(mac)) {
                    staticWords.add(type);
                } else if (section != null && ipv4(e.group(1)) && !mac.equals(ZERO_MAC)) {
                    lines.add(new Line(section, e.group(1), mac, type));
                }
                continue;
            }
            Matcher s = SECTION.matcher(raw);
            if (s.matches()) {
                section = ipv4(s.group(1)) ? s.group(1) : null;
            }
        }
        staticWords.remove("");
        return lines.stream().filter(l -> !staticWords.contains(l.type()))
                .map(l -> new Entry(l.interfaceAddress(), l.ip(), l.mac())).toList();
    }

    /** Broadcast and multicast MACs have the group bit (the first octet's lowest) set. */
    private static boolean isGroup(String mac) {
        return (Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0;
    }

    private static boolean ipv4(String s) {
        try {
            Subnet.parse(s + "/32");
            return true;
        } catch (IllegalArgumentException notIpv4) {
            return false;
        }
    }
}
