package dev.rollcall.events;

import java.util.regex.Pattern;

/** The few invariants every event shares; violations are {@link IllegalArgumentException}s with a readable message. */
final class ContractChecks {

    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}(%[0-9a-z._-]{1,32})?");

    private ContractChecks() {
    }

    static String requireText(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        String v = value.strip();
        if (v.length() > maxLength) {
            throw new IllegalArgumentException(field + " is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new IllegalArgumentException(field + " contains control characters");
            }
        }
        return v;
    }

    /**
     * A MAC address as {@code aa:bb:cc:dd:ee:ff}; dashes and upper case are accepted and normalised. Without a regex: a
     * network agent's heartbeat lists hundreds, and the regex was half of decoding one (300 addresses: 60 µs a heartbeat
     * with it, 30 without, decoding one 20,000 times).
     */
    static String requireMac(String mac) {
        if (isMac(mac, ':', false)) {
            return mac; // already in the normal form, as agents send it
        }
        String m = mac == null ? "" : mac.strip().toLowerCase(java.util.Locale.ROOT);
        if (!isMac(m, m.length() > 2 ? m.charAt(2) : ':', true)) {
            throw new IllegalArgumentException("mac must be six hex pairs like aa:bb:cc:dd:ee:ff, got '"
                    + (mac == null ? "" : mac.length() > 40 ? mac.substring(0, 40) + "…" : mac) + "'");
        }
        return m.replace('-', ':');
    }

    /** {@code [0-9a-f]{2}(S[0-9a-f]{2}){5}} for the separator S, which may be ':' or (if {@code dashes}) '-'. */
    private static boolean isMac(String m, char separator, boolean dashes) {
        if (m == null || m.length() != 17 || !(separator == ':' || dashes && separator == '-')) {
            return false;
        }
        for (int i = 0; i < 17; i++) {
            char c = m.charAt(i);
            if (i % 3 == 2 ? c != separator : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4 or IPv6 literal (never resolved: no name lookups in the contract). */
    static String requireIp(String ip) {
        String v = ip.strip().toLowerCase(java.util.Locale.ROOT);
        if (!(IPV4.matcher(v).matches() || (v.contains(":") && IPV6.matcher(v).matches()))) {
            throw new IllegalArgumentException("ip must be an IPv4 or IPv6 address, got '"
                    + (ip.length() > 45 ? ip.substring(0, 45) + "…" : ip) + "'");
        }
        return v;
    }

    private static final Pattern EMPLOYEE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** An employee id: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    static String requireEmployeeId(String id) {
        if (id == null || !EMPLOYEE_ID.matcher(id.strip()).matches()) {
            throw new IllegalArgumentException("employeeId must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return id.strip();
    }

    /** The locally administered bit of a normalised MAC: set on randomised (private) addresses. */
    static boolean locallyAdministered(String mac) {
        return (Integer.parseInt(mac.substring(0, 2), 16) & 0x02) != 0;
    }

    /** A site id: 1 to 63 lowercase letters, digits or '-', starting with a letter or digit (checked on every event). */
    static String requireSiteId(String site) {
        if (!isSiteId(site)) {
            throw new IllegalArgumentException(
                    "site must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit");
        }
        return site;
    }

    /** {@code [a-z0-9][a-z0-9-]{0,62}}, without a regex: every decoded event's site goes through it. */
    private static boolean isSiteId(String site) {
        if (site == null || site.isEmpty() || site.length() > 63 || site.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < site.length(); i++) {
            char c = site.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /** An agent id, as the part before the dot of its credential: 1 to 128 letters, digits, '-' or '_'. */
    static String requireAgentId(String id) {
        if (id == null || !AGENT_ID.matcher(id.strip()).matches()) {
            throw new IllegalArgumentException("agentId must be 1 to 128 letters, digits, '-' or '_'");
        }
        return id.strip();
    }
}
