package dev.rollcall.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time goes, measured: a service's JFR execution samples (which code and which threads ran) and
 * PostgreSQL's own account of its statements ({@code pg_stat_statements}).
 */
final class Profiles {

    /** Package prefixes and the name a reader knows them by; the first match wins. */
    private static final String[][] AREAS = {
            {"dev.rollcall.", "Rollcall code"},
            {"com.fasterxml.jackson.", "Jackson (JSON)"},
            {"io.vertx.pgclient.", "Vert.x PostgreSQL client"},
            {"io.vertx.sqlclient.", "Vert.x SQL client"},
            {"io.vertx.", "Vert.x core"},
            {"io.netty.", "Netty"},
            {"org.apache.kafka.", "Kafka client"},
            {"io.smallrye.mutiny.", "Mutiny"},
            {"io.smallrye.reactive.messaging.", "SmallRye Reactive Messaging"},
            {"org.jboss.resteasy.", "Quarkus REST"},
            {"io.quarkus.qute.", "Qute"},
            {"io.quarkus.", "Quarkus"},
            {"io.micrometer.", "Micrometer"},
            {"org.jboss.logmanager.", "JBoss logging"},
    };

    private Profiles() {
    }

    /**
     * The JVM options that record a service with JFR into {@code file} (written when it stops): the profile
     * settings, with each thread's CPU every second (not every 10 s) so that short windows get a reading.
     */
    static List<String> jfrOptions(Path file) {
        return List.of("-XX:StartFlightRecording=settings=profile,jdk.ThreadCPULoad#period=1s,dumponexit=true,filename=" + file);
    }

    /**
     * A summary of the execution samples taken between {@code from} and {@code to}: by area of code (the
     * nearest non-JDK frame, so a HashMap lookup inside Jackson counts as Jackson), by thread, and the hottest
     * methods by own time.
     */
    static String jfr(Path recording, Instant from, Instant to, int top) throws IOException {
        if (!Files.exists(recording)) {
            return "  (no recording at " + recording + ")\n";
        }
        Map<String, Integer> byArea = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        Map<String, Integer> rollcallInclusive = new HashMap<>();
        Map<String, Double> threadCpu = new HashMap<>(); // sum of the loads read
        int total = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            if (e.getEventType().getName().equals("jdk.ThreadCPULoad")) {
                var thread = e.getThread("eventThread");
                String name = thread == null || thread.getJavaName() == null ? (thread == null ? "?" : thread.getOSName())
                        : thread.getJavaName();
                threadCpu.merge(name == null ? "?" : name.replaceAll("\\d+", "N"),
                        (double) e.getFloat("user") + e.getFloat("system"), Double::sum);
                continue;
            }
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            var thread = e.getThread("sampledThread");
            String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName().replaceAll("\\d+", "N");
            byThread.merge(threadName, 1, Integer::sum);
            List<RecordedFrame> frames = stack.getFrames();
            byMethod.merge(method(frames.getFirst()), 1, Integer::sum);
            byArea.merge(area(frames), 1, Integer::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame f : frames) {
                String m = method(f);
                if (m.startsWith("dev.rollcall.") && seen.add(m)) {
                    rollcallInclusive.merge(m, 1, Integer::sum);
                }
            }
        }
        if (total == 0) {
            return "  (no execution samples in the window)\n";
        }
        StringBuilder s = new StringBuilder();
        if (!threadCpu.isEmpty()) {
            s.append("  threads by CPU (cores, JFR's per-thread load, JIT and GC threads included): ")
                    .append(threadCores(threadCpu, java.time.Duration.between(from, to).toMillis() / 1000.0)).append('\n');
        }
        s.append(String.format(Locale.ROOT, "  %,d execution samples (JFR, every 10–20 ms per running thread)%n", total));
        s.append("  by code:    ").append(shares(byArea, total, top)).append('\n');
        s.append("  by thread:  ").append(shares(byThread, total, 5)).append('\n');
        s.append("  hottest methods (own time):\n");
        for (var e : sorted(byMethod, 8)) {
            s.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
        }
        if (!rollcallInclusive.isEmpty()) {
            s.append("  Rollcall methods on the stack (inclusive):\n");
            for (var e : sorted(rollcallInclusive, 6)) {
                s.append(String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
            }
        }
        return s.toString();
    }

    /**
     * Threads by average CPU over the window, in cores. JFR reads each thread's load once a second as a share of
     * the whole machine; threads of one kind (numbered event loops, compiler threads) are summed.
     */
    private static String threadCores(Map<String, Double> loadSums, double windowSeconds) {
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Integer> hundredths = new HashMap<>();
        loadSums.forEach((name, sum) -> hundredths.put(name, (int) Math.round(sum / Math.max(1, windowSeconds) * cores * 100)));
        List<String> parts = new ArrayList<>();
        for (var e : sorted(hundredths, 6)) {
            if (e.getValue() > 0) {
                parts.add(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / 100.0));
            }
        }
        return parts.isEmpty() ? "all idle" : String.join(", ", parts);
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String area(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            for (String[] a : AREAS) {
                if (type.startsWith(a[0])) {
                    return a[1];
                }
            }
            if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
                String[] parts = type.split("\\.");
                return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : type;
            }
        }
        return "JDK only";
    }

    private static String shares(Map<String, Integer> counts, int total, int top) {
        List<String> parts = new ArrayList<>();
        for (var e : sorted(counts, top)) {
            parts.add(String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total));
        }
        return String.join(", ", parts);
    }

    private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts, int top) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top).toList();
    }

    /** Forgets PostgreSQL's statement statistics, before the window to profile. */
    static void resetStatements(BenchDatabase db) throws SQLException {
        try (Connection c = db.connect("postgres"); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /**
     * The statements {@code database} spent the most time executing since the last reset, and how many
     * statements it took per {@code unit} (a record folded, a page served).
     */
    static String statements(BenchDatabase db, String database, double wallSeconds, int top, long units, String unit)
            throws SQLException {
        Map<String, double[]> rows = new LinkedHashMap<>();
        double sum = 0;
        long calls = 0;
        long plans = 0;
        double planning = 0;
        try (Connection c = db.connect("postgres");
             PreparedStatement st = c.prepareStatement("""
                     SELECT query, calls, total_exec_time, mean_exec_time, plans, total_plan_time FROM pg_stat_statements
                     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = ?)
                     ORDER BY total_exec_time DESC""")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    double total = rs.getDouble(3);
                    sum += total;
                    calls += rs.getLong(2);
                    plans += rs.getLong(5);
                    planning += rs.getDouble(6);
                    if (rows.size() < top) {
                        rows.put(rs.getString(1), new double[] {rs.getLong(2), total, rs.getDouble(4), rs.getLong(5)});
                    }
                }
            }
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "  PostgreSQL executed %,d statements (%.1f per %s, one every %,.0f µs of wall time) for %.1f s of the %.1f s,"
                        + " and planned %,d times for %.1f s (pg_stat_statements; %% of execution time, calls, mean, plans):%n",
                calls, units == 0 ? 0 : (double) calls / units, unit, calls == 0 ? 0 : wallSeconds * 1e6 / calls, sum / 1000,
                wallSeconds, plans, planning / 1000));
        for (var e : rows.entrySet()) {
            double[] v = e.getValue();
            s.append(String.format(Locale.ROOT, "    %5.1f%%  %,10d calls  %8.3f ms  %,10d plans  %s%n",
                    sum == 0 ? 0 : 100 * v[1] / sum, (long) v[0], v[2], (long) v[3], oneLine(e.getKey())));
        }
        return s.toString();
    }

    private static String oneLine(String sql) {
        String s = sql.replaceAll("\\s+", " ").trim();
        return s.length() > 110 ? s.substring(0, 110) + "…" : s;
    }
}
