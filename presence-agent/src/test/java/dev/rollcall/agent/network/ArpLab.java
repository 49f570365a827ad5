package dev.rollcall.agent.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small office LAN made of Linux network namespaces: an "agent" namespace with a bridge {@code br0}
 * (10.213.0.1/24) and, on it, one namespace per "phone", each behind a veth pair with a chosen MAC address.
 * Everything lives inside namespaces this class creates (names {@code rc-arp-<random>-…}); the host's own
 * network is never touched, and {@link #close()} deletes the namespaces, which deletes their links too.
 *
 * <p>The agent namespace's ARP timers are shortened (1 s first-probe delay, 200 ms between probes, 500 ms
 * reachable time) so that a scan settles in about two seconds instead of nine; the scanner reads them like
 * any other interface's.
 */
final class ArpLab implements AutoCloseable {

    static final String SUBNET = "10.213.0.0/24";
    static final String INTERFACE = "br0";

    record Phone(String namespace, String mac, String ip) {
    }

    private final String prefix = "rc-arp-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final List<String> namespaces = new ArrayList<>();
    private final List<Phone> phones = new ArrayList<>();
    final String agentNamespace = prefix + "-agent";

    /** Why the lab cannot be built here, or {@code null} when it can (root and iproute2). */
    static String unavailableBecause() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "the real ARP test needs Linux network namespaces";
        }
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes()).strip();
            if (!id.waitFor(10, TimeUnit.SECONDS) || !uid.equals("0")) {
                return "the real ARP test creates network namespaces, which needs root (uid " + uid + ")";
            }
            Process ip = new ProcessBuilder("ip", "-V").redirectErrorStream(true).start();
            ip.getInputStream().readAllBytes();
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                return "the real ARP test needs iproute2's 'ip' command";
            }
        } catch (IOException e) {
            return "the real ARP test needs 'id' and iproute2's 'ip' command: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** Builds the agent's namespace and {@code macs.length} phones on 10.213.0.10, .11, … */
    static ArpLab create(String... macs) throws IOException, InterruptedException {
        ArpLab lab = new ArpLab();
        try {
            lab.build(macs);
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build(String... macs) throws IOException, InterruptedException {
        addNamespace(agentNamespace);
        ip("-n", agentNamespace, "link", "set", "lo", "up");
        ip("-n", agentNamespace, "link", "add", INTERFACE, "type", "bridge");
        ip("-n", agentNamespace, "addr", "add", "10.213.0.1/24", "dev", INTERFACE);
        ip("-n", agentNamespace, "link", "set", INTERFACE, "up");
        inNamespace(agentNamespace, "sh", "-c", String.join(" && ",
                "echo 1 > /proc/sys/net/ipv4/neigh/br0/delay_first_probe_time",
                "echo 200 > /proc/sys/net/ipv4/neigh/br0/retrans_time_ms",
                "echo 3 > /proc/sys/net/ipv4/neigh/br0/ucast_solicit",
                "echo 500 > /proc/sys/net/ipv4/neigh/br0/base_reachable_time_ms"));
        for (int i = 0; i < macs.length; i++) {
            String ns = prefix + "-ph" + i;
            String port = "port" + i;
            addNamespace(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            // Created from inside the agent's namespace, with the peer straight in the phone's: the host's own
            // namespace never sees either end.
            ip("-n", agentNamespace, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", agentNamespace, "link", "set", port, "master", INTERFACE);
            ip("-n", agentNamespace, "link", "set", port, "up");
            ip("-n", ns, "link", "set", "eth0", "address", macs[i]);
            String addr = "10.213.0." + (10 + i);
            ip("-n", ns, "addr", "add", addr + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            phones.add(new Phone(ns, macs[i], addr));
        }
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

    /** A command run inside the agent's namespace. */
    List<String> inAgentNamespace(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", agentNamespace));
        cmd.addAll(command);
        return cmd;
    }

    private void addNamespace(String ns) throws IOException, InterruptedException {
        ip("netns", "add", ns);
        namespaces.add(ns);
    }

    private void inNamespace(String ns, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("netns", "exec", ns));
        cmd.addAll(List.of(command));
        ip(cmd.toArray(String[]::new));
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

    /** Deletes every namespace this lab created (their veths and the bridge go with them), even after a failure. */
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
