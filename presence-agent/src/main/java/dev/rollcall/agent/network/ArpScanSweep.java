package dev.rollcall.agent.network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sweep StaffTrace used: the {@code arp-scan} tool, which sends ARP requests itself and prints who
 * answered. It needs raw sockets (root or {@code CAP_NET_RAW}), so it is only used when installed and
 * permitted; see {@link FallbackSweep}.
 */
public final class ArpScanSweep implements DeviceSweep {

    private static final Pattern LINE = Pattern.compile(
            "^(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\s+([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\\b.*");
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path executable;
    private final List<ScanTarget> targets;

    public ArpScanSweep(Path executable, List<ScanTarget> targets) {
        this.executable = executable;
        this.targets = List.copyOf(targets);
    }

    /** {@code arp-scan} on the {@code PATH} or in the sbin folders (which a service's PATH may lack). */
    public static Optional<Path> find(String pathVariable) {
        List<String> dirs = new ArrayList<>(List.of((pathVariable == null ? "" : pathVariable).split(java.io.File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "arp-scan"))
                .filter(Files::isExecutable).findFirst();
    }

    @Override
    public List<Sighting> scan() throws IOException, InterruptedException {
        Map<String, List<ScanTarget>> byInterface = new LinkedHashMap<>();
        targets.forEach(t -> byInterface.computeIfAbsent(t.interfaceName(), k -> new ArrayList<>()).add(t));
        List<Sighting> seen = new ArrayList<>();
        for (var e : byInterface.entrySet()) {
            List<String> cmd = new ArrayList<>(List.of(executable.toString(), "--interface=" + e.getKey(),
                    "--quiet", "--retry=3"));
            e.getValue().forEach(t -> cmd.add(t.subnet().toString()));
            seen.addAll(parse(run(cmd), e.getValue().stream().map(ScanTarget::subnet).toList()));
        }
        return seen;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("arp-scan did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            String why = err.join().strip();
            throw new IOException("arp-scan exited with " + p.exitValue()
                    + (why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse("")));
        }
        return out;
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The {@code <ip> <mac> …} lines of arp-scan's output on the given subnets; headers and footers are skipped. */
    public static List<Sighting> parse(String output, List<Subnet> subnets) {
        List<Sighting> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            int ip;
            try {
                ip = Subnet.parse(m.group(1) + "/32").network();
            } catch (IllegalArgumentException badOctet) {
                continue;
            }
            if (subnets.stream().anyMatch(s -> s.contains(ip)) && !m.group(2).equals("00:00:00:00:00:00")) {
                out.add(new Sighting(m.group(2), m.group(1)));
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return executable + " on " + targets;
    }
}
