package dev.rollcall.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The JDK the bench runs on (its {@code java} starts every other process), and processes' CPU time. */
final class Jvm {

    /** Linux's USER_HZ: /proc reports CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;

    private Jvm() {
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The JDK's own tool, e.g. {@code jfr}. */
    static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    /**
     * CPU seconds (user + system) a process has used, plus those of its children that ended (PostgreSQL's
     * backends), plus its living descendants' own. Zero once the process is gone.
     */
    static double cpuSeconds(long pid) {
        double total = ticks(pid, true);
        List<ProcessHandle> descendants = ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
        for (ProcessHandle d : descendants) {
            total += ticks(d.pid(), false);
        }
        return total / TICKS_PER_SECOND;
    }

    /** CPU seconds (user + system) of the process alone, without any children. */
    static double ownCpuSeconds(long pid) {
        return ticks(pid, false) / TICKS_PER_SECOND;
    }

    private static double ticks(long pid, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): utime, stime, cutime, cstime are fields 14..17
            double t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            if (withReapedChildren) {
                t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
            return t;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident memory of a process, in MiB (0 when unknown). */
    static double residentMiB(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024.0).orElse(0.0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Runs a JDK tool and answers its output; fails on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
