package dev.rollcall.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small office LAN made of Linux network namespaces: an agent namespace with a bridge {@link #INTERFACE} (the
 * subnet's {@code .1}) and, on it, one namespace per phone (the subnet's {@code .10}, {@code .11}, …), each behind a
 * veth pair with a chosen MAC address. The agent runs in the agent namespace ({@link #inAgentNamespace}).
 *
 * <p>Every name starts with the caller's prefix and a random part ({@code <prefix>-<6 hex>-agent}, {@code …-ph0}, …),
 * so that labs built at the same time (by parallel builds, or by the bench beside a test) never share a namespace.
 * The veths are created from inside the agent namespace with their peers straight in the phones', so the host's own
 * network never sees them; only {@link Builder#uplinkToHost()} puts one link end on the host. {@link #close()}
 * deletes the namespaces, which deletes every link with them; a failed build cleans up the same way.
 *
 * <p>Tests use {@link Builder#shortArpTimers()}: the agent namespace's first-probe delay is 1 s, the time between
 * probes 200 ms (3 of them) and the reachable time 500 ms, so a scan settles in about two seconds instead of nine;
 * the scanner reads them like any other interface's. The bench keeps the kernel's defaults, as on a real office's
 * Linux box.
 */
public final class NetnsLab implements AutoCloseable {

    /** The bridge in the agent namespace: what the agent scans. */
    public static final String INTERFACE = "br0";
    /** Linux's limit on a link name (IFNAMSIZ less the terminating NUL). */
    private static final int MAX_LINK_NAME = 15;

    public record Phone(String namespace, String mac, String ip) {
    }

    private final String prefix;
    private final String subnet;
    private final String network;
    private final String agentNamespace;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Phone> phones = new ArrayList<>();
    private String hostEnd;
    private String hostAddress;

    private NetnsLab(String callerPrefix, String subnet) {
        this.prefix = callerPrefix + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        this.subnet = subnet;
        this.network = subnet.substring(0, subnet.length() - "0/24".length());
        this.agentNamespace = prefix + "-agent";
    }

    /**
     * Why a lab cannot be built here, or {@code null} when it can (Linux, root and iproute2).
     *
     * @param what the caller, as the message's subject: "the real ARP test needs root …"
     */
    public static String unavailableBecause(String what) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return what + " needs Linux network namespaces";
        }
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes()).strip();
            if (!id.waitFor(10, TimeUnit.SECONDS) || !uid.equals("0")) {
                return what + " creates network namespaces, which needs root (uid " + uid + ")";
            }
            Process ip = new ProcessBuilder("ip", "-V").redirectErrorStream(true).start();
            ip.getInputStream().readAllBytes();
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                return what + " needs iproute2's 'ip' command";
            }
        } catch (IOException e) {
            return what + " needs 'id' and iproute2's 'ip' command: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /**
     * A lab whose namespace names start with {@code prefix}: one of its own per caller (a few letters, such as
     * {@code rc-arp}), so that a stray namespace says who left it.
     */
    public static Builder named(String prefix) {
        return new Builder(prefix);
    }

    /** What the lab looks like; {@link #create} builds it. */
    public static final class Builder {
        private final String prefix;
        private String subnet;
        private boolean shortArpTimers;
        private boolean uplinkToHost;

        private Builder(String prefix) {
            if (!prefix.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("a namespace prefix of lower-case letters, digits and '-': " + prefix);
            }
            this.prefix = prefix;
        }

        /** The LAN, a /24 such as {@code 10.213.0.0/24}: the bridge is its .1, the phones .10, .11, … */
        public Builder subnet(String subnet) {
            if (!subnet.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.0/24")) {
                throw new IllegalArgumentException("a /24 such as 10.213.0.0/24: " + subnet);
            }
            this.subnet = subnet;
            return this;
        }

        /** The agent namespace's ARP timers shortened, so that a scan settles in about two seconds. */
        public Builder shortArpTimers() {
            this.shortArpTimers = true;
            return this;
        }

        /**
         * One more veth pair, from the agent namespace to the host, each end with an address on a /30 of its own in
         * 10.216.0.0/16 (random per lab, so that two labs at once do not clash): the agent reaches services that run
         * on the host at {@link #hostAddress()}. {@link #close()} deletes the host's end first.
         */
        public Builder uplinkToHost() {
            if ((prefix + "-123456-h").length() > MAX_LINK_NAME) {
                throw new IllegalArgumentException("the uplink's host end is named after the prefix, which makes it longer than "
                        + MAX_LINK_NAME + " characters: " + prefix);
            }
            this.uplinkToHost = true;
            return this;
        }

        /** Builds the lab with one phone per MAC address, in order; whatever was built is deleted if a step fails. */
        public NetnsLab create(String... macs) throws IOException, InterruptedException {
            if (subnet == null) {
                throw new IllegalStateException("no subnet: call subnet(…) first");
            }
            NetnsLab lab = new NetnsLab(prefix, subnet);
            try {
                lab.build(shortArpTimers, uplinkToHost, macs);
            } catch (IOException | InterruptedException | RuntimeException e) {
                lab.close();
                throw e;
            }
            return lab;
        }
    }

    private void build(boolean shortArpTimers, boolean uplinkToHost, String... macs) throws IOException, InterruptedException {
        addNamespace(agentNamespace);
        ip("-n", agentNamespace, "link", "set", "lo", "up");
        ip("-n", agentNamespace, "link", "add", INTERFACE, "type", "bridge");
        ip("-n", agentNamespace, "addr", "add", network + "1/24", "dev", INTERFACE);
        ip("-n", agentNamespace, "link", "set", INTERFACE, "up");
        if (shortArpTimers) {
            String neigh = "/proc/sys/net/ipv4/neigh/" + INTERFACE + "/";
            ip("netns", "exec", agentNamespace, "sh", "-c", String.join(" && ",
                    "echo 1 > " + neigh + "delay_first_probe_time",
                    "echo 200 > " + neigh + "retrans_time_ms",
                    "echo 3 > " + neigh + "ucast_solicit",
                    "echo 500 > " + neigh + "base_reachable_time_ms"));
        }
        if (uplinkToHost) {
            addUplink();
        }
        for (int i = 0; i < macs.length; i++) {
            String ns = prefix + "-ph" + i;
            String port = "port" + i;
            addNamespace(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", agentNamespace, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", agentNamespace, "link", "set", port, "master", INTERFACE);
            ip("-n", agentNamespace, "link", "set", port, "up");
            ip("-n", ns, "link", "set", "eth0", "address", macs[i]);
            String addr = network + (10 + i);
            ip("-n", ns, "addr", "add", addr + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            phones.add(new Phone(ns, macs[i], addr));
        }
    }

    /** Made inside the agent namespace, its peer moved to the host's (pid 1's) namespace. */
    private void addUplink() throws IOException, InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String net = "10.216." + random.nextInt(256) + ".";
        int base = 4 * random.nextInt(1, 63);
        ip("-n", agentNamespace, "link", "add", "uplink", "type", "veth", "peer", "name", prefix + "-h", "netns", "1");
        hostEnd = prefix + "-h";
        ip("-n", agentNamespace, "addr", "add", net + (base + 2) + "/30", "dev", "uplink");
        ip("-n", agentNamespace, "link", "set", "uplink", "up");
        ip("addr", "add", net + (base + 1) + "/30", "dev", hostEnd);
        ip("link", "set", hostEnd, "up");
        hostAddress = net + (base + 1);
    }

    /** The LAN, as the agent's {@code --subnet} takes it. */
    public String subnet() {
        return subnet;
    }

    public String agentNamespace() {
        return agentNamespace;
    }

    /** The host's address on the uplink: the agent namespace reaches the host's services there. */
    public String hostAddress() {
        if (hostAddress == null) {
            throw new IllegalStateException("this lab has no uplink to the host (Builder.uplinkToHost())");
        }
        return hostAddress;
    }

    public List<Phone> phones() {
        return List.copyOf(phones);
    }

    /** The phone leaves the Wi-Fi: its link goes down, so it answers nothing. */
    public void leave(Phone p) throws IOException, InterruptedException {
        ip("-n", p.namespace(), "link", "set", "eth0", "down");
    }

    public void comeBack(Phone p) throws IOException, InterruptedException {
        ip("-n", p.namespace(), "link", "set", "eth0", "up");
    }

    /** A command line that runs {@code command} inside the agent namespace ({@code ip} execs it: the same process). */
    public List<String> inAgentNamespace(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", agentNamespace));
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

    /**
     * Deletes every namespace this lab created (their links and the bridge go with them), even after a failure. The
     * uplink's host end would go too, but only once the kernel has finished with the namespace, a moment later: it
     * is deleted first, so that nothing of the lab is left on the host when this returns.
     */
    @Override
    public void close() {
        if (hostEnd != null) {
            try {
                ip("link", "del", hostEnd);
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete the uplink's host end " + hostEnd + ": " + e.getMessage());
            }
            hostEnd = null;
        }
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
