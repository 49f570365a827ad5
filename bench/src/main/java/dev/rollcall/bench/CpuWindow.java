package dev.rollcall.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How busy each process of the stack was during a measured window, in cores (CPU seconds / wall seconds):
 * the first thing to know about where the time goes on a two-core machine.
 */
final class CpuWindow {

    /** A process to watch: its own CPU only (a JVM), or with its children (PostgreSQL's backends). */
    record Watched(String name, long pid, boolean withChildren) {
        double cpuSeconds() {
            if (pid <= 0) {
                return 0;
            }
            return withChildren ? Jvm.cpuSeconds(pid) : Jvm.ownCpuSeconds(pid);
        }
    }

    private final Map<Watched, Double> start = new LinkedHashMap<>();
    private final long startNanos;

    private CpuWindow(Iterable<Watched> watched) {
        for (Watched w : watched) {
            start.put(w, w.cpuSeconds());
        }
        startNanos = System.nanoTime();
    }

    static CpuWindow open(Iterable<Watched> watched) {
        return new CpuWindow(watched);
    }

    /** Cores used by each watched process since the window opened. */
    Map<String, Double> close() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        start.forEach((w, before) -> cores.put(w.name(), Math.max(0, w.cpuSeconds() - before) / wall));
        return cores;
    }

    static String describe(Map<String, Double> cores) {
        return cores.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")) + String.format(Locale.ROOT, " (sum %.2f of %d cores)",
                cores.values().stream().mapToDouble(Double::doubleValue).sum(), Runtime.getRuntime().availableProcessors());
    }
}
