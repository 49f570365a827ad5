package dev.rollcall.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A small office LAN for the agent, made of Linux network namespaces, as presence-agent's tests build it
 * (ArpLab): an agent namespace with a bridge {@code br0} (10.219.0.1/24) and one namespace per phone behind a
 * veth pair. Unlike the tests' lab it keeps the kernel's default ARP timers, so a scan takes as long as on a
 * real office's Linux box. The host's own network is never touched; {@link #close()} deletes the namespaces.
 */
final class AgentLab implements AutoCloseable {

    static final String SUBNET = "10.219.0.0/24";

    private final String prefix = "rcb-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final List<String> namespaces = new ArrayList<>();
    final String agentNamespace = prefix + "-agent";

    /** Why the lab cannot be built here, or {@code null} when it can (Linux, root, iproute2). */
    static String unavailableBecause() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "the agent's lab needs Linux network namespaces";
        }
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes()).strip();
            if (!id.waitFor(10, TimeUnit.SECONDS) || !uid.equals("0")) {
                return "the agent's lab creates network namespaces, which needs root";
            }
            Process ip = new ProcessBuilder("ip", "-V").redirectErrorStream(true).start();
            ip.getInputStream().readAllBytes();
            if (!ip.waitFor(10, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                return "the agent's lab needs iproute2's ip command";
            }
        } catch (IOException e) {
            return "the agent's lab needs id and iproute2's ip command";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return null;
    }

    /** The agent's namespace and {@code phones} phones on 10.219.0.10, .11, … */
    static AgentLab create(int phones) throws IOException, InterruptedException {
        AgentLab lab = new AgentLab();
        try {
            lab.build(phones);
        } catch (IOException | InterruptedException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build(int phones) throws IOException, InterruptedException {
        addNamespace(agentNamespace);
        ip("-n", agentNamespace, "link", "set", "lo", "up");
        ip("-n", agentNamespace, "link", "add", "br0", "type", "bridge");
        ip("-n", agentNamespace, "addr", "add", "10.219.0.1/24", "dev", "br0");
        ip("-n", agentNamespace, "link", "set", "br0", "up");
        for (int i = 0; i < phones; i++) {
            String ns = prefix + "-ph" + i;
            addNamespace(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            // created from inside the agent's namespace with the peer straight in the phone's: the host sees neither
            ip("-n", agentNamespace, "link", "add", "port" + i, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", agentNamespace, "link", "set", "port" + i, "master", "br0");
            ip("-n", agentNamespace, "link", "set", "port" + i, "up");
            ip("-n", ns, "link", "set", "eth0", "address", String.format(Locale.ROOT, "3c:22:fb:00:%02x:%02x", i / 256, i % 256));
            ip("-n", ns, "addr", "add", "10.219.0." + (10 + i) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
    }

    /** A command line that runs {@code command} inside the agent's namespace (ip execs it: same process id). */
    List<String> inAgentNamespace(List<String> command) {
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
