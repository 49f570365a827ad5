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

    /** The machine's own name in the figures: everything that ran, the watched processes' included. */
    static final String MACHINE = "machine";

    private final Map<Watched, Double> start = new LinkedHashMap<>();
    private final double machineStart;
    private final long startNanos;

    private CpuWindow(Iterable<Watched> watched) {
        for (Watched w : watched) {
            start.put(w, w.cpuSeconds());
        }
        machineStart = machineBusySeconds();
        startNanos = System.nanoTime();
    }

    static CpuWindow open(Iterable<Watched> watched) {
        return new CpuWindow(watched);
    }

    /** Cores used by each watched process since the window opened, and by the whole machine ({@link #MACHINE}). */
    Map<String, Double> close() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Double> cores = new LinkedHashMap<>();
        start.forEach((w, before) -> cores.put(w.name(), Math.max(0, w.cpuSeconds() - before) / wall));
        cores.put(MACHINE, Math.max(0, machineBusySeconds() - machineStart) / wall);
        return cores;
    }

    static String describe(Map<String, Double> cores) {
        double watched = cores.entrySet().stream().filter(e -> !e.getKey().equals(MACHINE)).mapToDouble(Map.Entry::getValue).sum();
        String each = cores.entrySet().stream().filter(e -> !e.getKey().equals(MACHINE))
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
        Double machine = cores.get(MACHINE);
        return each + (machine == null ? String.format(Locale.ROOT, " (sum %.2f)", watched)
                : String.format(Locale.ROOT, "; the whole machine %.2f of %d cores, so everything else %.2f", machine,
                Runtime.getRuntime().availableProcessors(), Math.max(0, machine - watched)));
    }

    /** CPU seconds the whole machine spent not idle since boot (/proc/stat: all but idle and iowait). */
    static double machineBusySeconds() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / 100.0;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }
}
