package dev.rollcall.agent.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Windows: the neighbour cache as {@code arp -a} prints it ({@link WindowsArpTable}), which any user may run.
 * {@code arp -a} names each section by the interface's IPv4 address, so an entry counts for a target when that
 * address is one of the target interface's own (Java's interface names, {@code wlan1}, are not Windows').
 */
public final class WindowsNeighbourReader implements NeighbourReader {

    /** {@code arp -a}'s output; behind an interface so tests answer with recorded outputs. */
    @FunctionalInterface
    public interface ArpCommand {
        String output() throws IOException, InterruptedException;
    }

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ArpCommand arp;
    private final Function<String, Set<String>> interfaceAddresses;

    /**
     * @param interfaceAddresses the IPv4 addresses (dotted) of an interface, by its Java name; asked at every read,
     *                           as DHCP may change them
     */
    public WindowsNeighbourReader(ArpCommand arp, Function<String, Set<String>> interfaceAddresses) {
        this.arp = arp;
        this.interfaceAddresses = interfaceAddresses;
    }

    @Override
    public List<Sighting> read(List<ScanTarget> targets) throws IOException {
        String output;
        try {
            output = arp.output();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the ARP cache", e);
        }
        Map<String, Set<String>> addresses = new HashMap<>();
        targets.forEach(t -> addresses.computeIfAbsent(t.interfaceName(), interfaceAddresses));
        return WindowsArpTable.parse(output).stream()
                .filter(e -> NeighbourReader.inTargets(targets, e.ip(),
                        t -> addresses.get(t.interfaceName()).contains(e.interfaceAddress())))
                .map(e -> new Sighting(e.mac(), e.ip()))
                .toList();
    }

    /**
     * Windows' neighbour unreachability detection has RFC 4861's timers, as Linux's defaults: a stale entry
     * is probed after 5 s, 3 times 1 s apart (RetransmitTime, per interface in {@code netsh interface ipv4 show
     * interface <index>}). Its output is localised, so it is not read: a changed RetransmitTime needs {@code --settle}.
     */
    @Override
    public Duration settle(List<ScanTarget> targets) {
        return NeighbourTimers.WINDOWS_DEFAULTS.settle();
    }

    @Override
    public String describe() {
        return "Windows ARP cache (arp -a)";
    }

    /** {@code %SystemRoot%\System32\ARP.EXE}, not whatever {@code arp} the PATH finds first. */
    static String systemArp(String systemRoot) {
        return systemRoot == null || systemRoot.isBlank() ? "arp.exe"
                : Path.of(systemRoot, "System32", "ARP.EXE").toString();
    }

    /**
     * Runs {@code <executable> -a}. Its output is in the console's OEM code page; only ASCII digits, dots and
     * dashes are read, so it is decoded byte for byte (ISO-8859-1), which never fails. A non-zero exit with
     * output is an answer (an empty cache is said on stdout, not an error); without output it is an error.
     */
    public static ArpCommand arpCommand(String executable) {
        return () -> {
            Process p = new ProcessBuilder(executable, "-a").start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(executable + " -a did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            String stdout;
            try {
                stdout = out.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new IOException("could not read the output of " + executable + " -a", e.getCause());
            }
            if (p.exitValue() != 0 && stdout.isBlank()) {
                String why = err.exceptionally(e -> "").join().strip();
                throw new IOException(executable + " -a exited with " + p.exitValue()
                        + (why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse("")));
            }
            return stdout;
        };
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The interface's IPv4 addresses now; none when it is gone (then it sees nobody, as a cable pulled). */
    static Set<String> addressesOf(String interfaceName) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            return ni == null ? Set.of() : ni.inetAddresses().filter(a -> a instanceof Inet4Address)
                    .map(InetAddress::getHostAddress).collect(Collectors.toUnmodifiableSet());
        } catch (SocketException e) {
            return Set.of();
        }
    }
}
