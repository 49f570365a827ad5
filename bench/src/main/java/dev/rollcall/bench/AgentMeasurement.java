package dev.rollcall.bench;

import dev.rollcall.testsupport.NetnsLab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged presence-agent on the JVM (plain {@code java -jar}, the JVM's default settings), running its
 * {@code network} collector in a {@link NetnsLab} against a /24 with phones on it, shipping to {@link AgentSink}.
 * Two runs of it each time: idle (one scan, then nothing to do for an hour) and scanning (scans back to back).
 * Resident memory is sampled every 250 ms, CPU read from /proc; scan durations come from the agent's own
 * heartbeats ({@code lastScanMillis}).
 */
final class AgentMeasurement {

    /** One run of each kind. Memory in MiB, CPU in cores. */
    record Result(double idleRssMedian, double idleRssMax, double idleCores, double scanRssMedian, double scanRssMax,
                  double scanCores, double scanSeconds, int devicesSeen) {
    }

    static final int PHONES = 20;
    static final String SUBNET = "10.219.0.0/24";
    private static final int SINK_PORT = 18080;
    private static final Pattern HEARTBEAT = Pattern.compile("heartbeat lastScanMillis=(-?\\d+) devicesOnline=(\\d+)");

    private final BenchSettings settings;
    private final Consumer<String> log;
    private final Path jar;
    private final Path dir;

    AgentMeasurement(BenchSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        this.jar = settings.root().resolve("presence-agent/target/quarkus-app/quarkus-run.jar");
        this.dir = settings.work().resolve("agent");
    }

    /** Why the agent cannot be measured here, or {@code null}. */
    String unavailableBecause() {
        if (!Files.exists(jar)) {
            return jar + " does not exist: package presence-agent first";
        }
        return NetnsLab.unavailableBecause("the agent's lab");
    }

    /** {@code runs} runs; with {@code profile}, one more idle run with native memory tracking, summarised. */
    List<Result> run(int runs, boolean profile, StringBuilder profileOut) throws Exception {
        Files.createDirectories(dir);
        Path credential = dir.resolve("credential");
        Files.writeString(credential, IngestComparison.AGENT + ".bench-secret");
        Files.setPosixFilePermissions(credential, PosixFilePermissions.fromString("rw-------"));
        List<Result> results = new ArrayList<>();
        // the kernel's default ARP timers: a scan takes as long as on a real office's Linux box
        try (NetnsLab lab = NetnsLab.named("rcb").subnet(SUBNET).create(phoneMacs()); Sink sink = new Sink(lab)) {
            for (int r = 1; r <= runs; r++) {
                Run idle = agent(lab, sink, credential, "1h", "1h", Duration.ofSeconds(20), List.of(), null);
                Run scanning = agent(lab, sink, credential, "1s", "10s", Duration.ofSeconds(30), List.of(), null);
                List<Long> scans = new ArrayList<>(scanning.scanMillis());
                scans.addAll(idle.scanMillis());
                double scanSeconds = Percentiles.median(scans.stream().mapToDouble(m -> m / 1000.0).toArray());
                results.add(new Result(idle.rssMedian(), idle.rssMax(), idle.cores(), scanning.rssMedian(), scanning.rssMax(),
                        scanning.cores(), scanSeconds, Math.max(idle.devices(), scanning.devices())));
                Result last = results.getLast();
                log.accept(String.format(Locale.ROOT, "agent run %d: idle RSS %.0f MiB (max %.0f), %.3f cores; scanning RSS %.0f MiB "
                                + "(max %.0f), %.3f cores; a /24 scan %.2f s; %d of %d phones seen", r, last.idleRssMedian(),
                        last.idleRssMax(), last.idleCores(), last.scanRssMedian(), last.scanRssMax(), last.scanCores(),
                        last.scanSeconds(), last.devicesSeen(), PHONES));
            }
            if (profile) {
                StringBuilder nmt = new StringBuilder();
                Run tracked = agent(lab, sink, credential, "1h", "1h", Duration.ofSeconds(20),
                        List.of("-XX:NativeMemoryTracking=summary"), nmt);
                profileOut.append(String.format(Locale.ROOT, "%n### Agent, idle (an extra run with -XX:NativeMemoryTracking=summary: "
                        + "RSS %.0f MiB)%n%n", tracked.rssMedian())).append(nmt);
            }
        }
        return results;
    }

    private static String[] phoneMacs() {
        String[] macs = new String[PHONES];
        for (int i = 0; i < PHONES; i++) {
            macs[i] = String.format(Locale.ROOT, "3c:22:fb:00:%02x:%02x", i / 256, i % 256);
        }
        return macs;
    }

    private record Run(double rssMedian, double rssMax, double cores, List<Long> scanMillis, int devices) {
    }

    private Run agent(NetnsLab lab, Sink sink, Path credential, String interval, String heartbeat, Duration window,
                      List<String> jvmOptions, StringBuilder nmt) throws Exception {
        Path outbox = dir.resolve("outbox");
        WorkFolder.deleteTree(outbox);
        List<String> cmd = new ArrayList<>(List.of(Jvm.java()));
        cmd.addAll(settings.agentJvmOptions());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(), "network", "--server", "http://127.0.0.1:" + SINK_PORT,
                "--credential-file", credential.toString(), "--site", BenchSettings.SITE, "--subnet", lab.subnet(),
                "--outbox", outbox.toString(), "--interval", interval, "--heartbeat", heartbeat));
        sink.heartbeats.clear();
        Process agent = new ProcessBuilder(lab.inAgentNamespace(cmd)).redirectErrorStream(true)
                .redirectOutput(settings.work().resolve("logs/agent.log").toFile()).start();
        try {
            Matcher first = sink.next(agent, Duration.ofSeconds(120));
            List<Long> scans = new ArrayList<>(List.of(Long.parseLong(first.group(1))));
            int devices = Integer.parseInt(first.group(2));
            Thread.sleep(2000); // the first shipment's work is done
            long pid = agent.pid();
            double cpu0 = Jvm.ownCpuSeconds(pid);
            long t0 = System.nanoTime();
            List<Double> rss = new ArrayList<>();
            long end = t0 + window.toNanos();
            while (System.nanoTime() < end) {
                if (!agent.isAlive()) {
                    throw new IllegalStateException("the agent exited with " + agent.exitValue() + "; see logs/agent.log");
                }
                rss.add(Jvm.residentMiB(pid));
                Thread.sleep(250);
            }
            double cores = (Jvm.ownCpuSeconds(pid) - cpu0) / ((System.nanoTime() - t0) / 1e9);
            for (Matcher m = sink.poll(); m != null; m = sink.poll()) {
                scans.add(Long.parseLong(m.group(1)));
                devices = Math.max(devices, Integer.parseInt(m.group(2)));
            }
            if (nmt != null) {
                nmt.append(nativeMemory(pid));
            }
            return new Run(Percentiles.median(rss.stream().mapToDouble(Double::doubleValue).toArray()),
                    rss.stream().mapToDouble(Double::doubleValue).max().orElse(0), cores, scans, devices);
        } finally {
            agent.destroy();
            if (!agent.waitFor(15, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor();
            }
        }
    }

    /** The JVM's own account of its memory by area (committed), from {@code jcmd VM.native_memory summary}. */
    private static String nativeMemory(long pid) throws IOException, InterruptedException {
        String out = Jvm.run(List.of(Jvm.tool("jcmd"), Long.toString(pid), "VM.native_memory", "summary", "scale=MB"));
        StringBuilder s = new StringBuilder("  committed by area (MiB): ");
        Matcher total = Pattern.compile("Total: reserved=\\d+MB, committed=(\\d+)MB").matcher(out);
        List<String> parts = new ArrayList<>();
        Matcher area = Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)").matcher(out);
        while (area.find()) {
            if (Integer.parseInt(area.group(2)) > 0) {
                parts.add(area.group(1).trim() + " " + area.group(2));
            }
        }
        s.append(String.join(", ", parts));
        if (total.find()) {
            s.append("; total committed ").append(total.group(1));
        }
        Matcher heap = Pattern.compile("Java Heap \\(reserved=(\\d+)MB").matcher(out);
        if (heap.find()) {
            s.append("; the heap may grow to ").append(heap.group(1)).append(" (the JVM's default, a quarter of the RAM)");
        }
        return s.append('\n').toString();
    }

    /** {@link AgentSink} inside the lab's namespace; its heartbeat lines, as they come. */
    private final class Sink implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> heartbeats = new LinkedBlockingQueue<>();

        Sink(NetnsLab lab) throws IOException, InterruptedException {
            process = new ProcessBuilder(lab.inAgentNamespace(List.of(Jvm.java(), "-Xmx64m", "-cp",
                    System.getProperty("java.class.path"), AgentSink.class.getName(), Integer.toString(SINK_PORT))))
                    .redirectError(settings.work().resolve("logs/agent-sink.log").toFile()).start();
            BlockingQueue<String> ready = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        (line.equals("ready") ? ready : heartbeats).add(line);
                    }
                } catch (IOException ignored) {
                    // the sink stopped
                }
            }, "agent-sink-reader");
            reader.setDaemon(true);
            reader.start();
            if (ready.poll(60, TimeUnit.SECONDS) == null) {
                close();
                throw new IllegalStateException("the agent's stand-in ingest did not start; see logs/agent-sink.log");
            }
        }

        Matcher next(Process agent, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!agent.isAlive()) {
                    throw new IllegalStateException("the agent exited with " + agent.exitValue() + "; see logs/agent.log");
                }
                String line = heartbeats.poll(250, TimeUnit.MILLISECONDS);
                if (line != null) {
                    Matcher m = HEARTBEAT.matcher(line);
                    if (m.matches()) {
                        return m;
                    }
                }
            }
            throw new IllegalStateException("no heartbeat from the agent within " + timeout.toSeconds() + " s; see logs/agent.log");
        }

        Matcher poll() {
            for (String line = heartbeats.poll(); line != null; line = heartbeats.poll()) {
                Matcher m = HEARTBEAT.matcher(line);
                if (m.matches()) {
                    return m;
                }
            }
            return null;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
