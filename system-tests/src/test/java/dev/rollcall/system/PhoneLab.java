package dev.rollcall.system;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * An office LAN made of Linux network namespaces, for the whole stack (after presence-agent's {@code ArpLab}): an
 * "office" namespace with a bridge {@code br0} (10.215.0.1/24) and one namespace per "phone" on it, each behind a
 * veth pair with a chosen MAC address; the agent runs in the office namespace. Unlike the agent's own lab, the
 * office reaches the services (which run on the host, beside the test's Kafka and PostgreSQL) over one more veth
 * pair: {@link #hostAddress()} on the host's end. Every name starts with {@code i5b-} and a random part; {@link
 * #close()} deletes the namespaces, which deletes every link, the host's end of the uplink included.
 */
final class PhoneLab implements AutoCloseable {

    static final String SUBNET = "10.215.0.0/24";
    static final String INTERFACE = "br0";

    record Phone(String namespace, String mac, String ip) {
    }

    private final String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final String prefix = "i5b-" + id;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Phone> phones = new ArrayList<>();
    final String office = prefix + "-office";
    /** A /30 of its own per lab, so that two labs at once do not clash. */
    private final int uplinkNet = 4 * ThreadLocalRandom.current().nextInt(1, 63);
    private final String hostAddress = "10.216." + (Integer.parseInt(id.substring(0, 2), 16)) + "." + (uplinkNet + 1);
    private final String officeAddress = "10.216." + (Integer.parseInt(id.substring(0, 2), 16)) + "." + (uplinkNet + 2);

    /** Why the lab cannot be built here, or {@code null} when it can (Linux, root and iproute2). */
    static String unavailableBecause() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "the real ARP end-to-end test needs Linux network namespaces";
        }
        try {
            Process idu = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(idu.getInputStream().readAllBytes()).strip();
            if (!idu.waitFor(10, TimeUnit.SECONDS) || !uid.equals("0")) {
                return "the real ARP end-to-end test creates network namespaces, which needs root (uid " + uid + ")";
            }
            Process ip = new ProcessBuilder("ip", "-V").redirectErrorStream(true).start();
            ip.getInputStream().readAllBytes();
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                return "the real ARP end-to-end test needs iproute2's 'ip' command";
            }
        } catch (IOException e) {
            return "the real ARP end-to-end test needs 'id' and iproute2's 'ip' command: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    static PhoneLab create(String... macs) throws IOException, InterruptedException {
        PhoneLab lab = new PhoneLab();
        try {
            lab.build(macs);
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build(String... macs) throws IOException, InterruptedException {
        addNamespace(office);
        ip("-n", office, "link", "set", "lo", "up");
        ip("-n", office, "link", "add", INTERFACE, "type", "bridge");
        ip("-n", office, "addr", "add", "10.215.0.1/24", "dev", INTERFACE);
        ip("-n", office, "link", "set", INTERFACE, "up");
        // short ARP timers, as in the agent's own lab: a scan settles in about two seconds
        ip("netns", "exec", office, "sh", "-c", String.join(" && ",
                "echo 1 > /proc/sys/net/ipv4/neigh/br0/delay_first_probe_time",
                "echo 200 > /proc/sys/net/ipv4/neigh/br0/retrans_time_ms",
                "echo 3 > /proc/sys/net/ipv4/neigh/br0/ucast_solicit",
                "echo 500 > /proc/sys/net/ipv4/neigh/br0/base_reachable_time_ms"));
        // the uplink to the host, where the ingest listens: made inside the office, its peer moved to the host
        String hostEnd = prefix + "-h";
        ip("-n", office, "link", "add", "uplink", "type", "veth", "peer", "name", hostEnd, "netns", "1");
        ip("-n", office, "addr", "add", officeAddress + "/30", "dev", "uplink");
        ip("-n", office, "link", "set", "uplink", "up");
        ip("addr", "add", hostAddress + "/30", "dev", hostEnd);
        ip("link", "set", hostEnd, "up");
        for (int i = 0; i < macs.length; i++) {
            String ns = prefix + "-ph" + i;
            String port = "port" + i;
            addNamespace(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", office, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", office, "link", "set", port, "master", INTERFACE);
            ip("-n", office, "link", "set", port, "up");
            ip("-n", ns, "link", "set", "eth0", "address", macs[i]);
            String addr = "10.215.0." + (10 + i);
            ip("-n", ns, "addr", "add", addr + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            phones.add(new Phone(ns, macs[i], addr));
        }
    }

    /** The host's address on the uplink: the office reaches the services there. */
    String hostAddress() {
        return hostAddress;
    }

    List<Phone> phones() {
        return List.copyOf(phones);
    }

    /** The phone leaves the Wi-Fi: its link goes down, so it answers nothing. */
    void leave(Phone p) throws IOException, InterruptedException {
        ip("-n", p.namespace(), "link", "set", "eth0", "down");
    }

    void comeBack(Phone p) throws IOException, InterruptedException {
        ip("-n", p.namespace(), "link", "set", "eth0", "up");
    }

    /** A command run inside the office namespace. */
    List<String> inOffice(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", office));
        cmd.addAll(command);
        return cmd;
    }

    private void addNamespace(String ns) throws IOException, InterruptedException {
        ip("netns", "add", ns);
        namespaces.add(ns);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
    }

    /** Deletes the namespaces (their links, the host's end of the uplink and the bridge go with them). */
    @Override
    public void close() {
        for (String ns : namespaces.reversed()) {
            try {
                ip("netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete network namespace " + ns + ": " + e.getMessage());
            }
        }
        namespaces.clear();
    }
}
