package dev.rollcall.bench;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replay: a fresh projection-service process, with consumer groups of its own, folds the whole workstation
 * topic from offset 0 into an empty database (its first generation). Progress is its checkpoints in
 * {@code projection_checkpoint}, read every 100 ms; the clock runs from the first checkpoint seen until they
 * reach the topic's end offsets, and the records folded before that first sight are left out of the rate.
 * So JVM start-up and schema creation are not in the rate (they are reported apart, as start-up). With bulk
 * loading (the default) the clock stops only when the generation has also folded what it loaded (its
 * {@code loading} flag cleared); that last part is reported apart too, as {@code finishSeconds}.
 */
final class Replay {

    record Result(double perSecond, long events, double seconds, double startupSeconds, double finishSeconds, boolean bulkLoad,
                  Map<String, Double> cores, Map<String, Double> outcomes, Instant readyAt, Instant doneAt) {
    }

    private static final Pattern EVENTS = Pattern.compile("rollcall_projection_events_total\\{([^}]*)}\\s+([0-9.eE+]+)");
    private static final Pattern OUTCOME = Pattern.compile("outcome=\"(\\w+)\"");

    private Replay() {
    }

    static Result run(BenchSettings settings, KafkaProcess kafka, BenchDatabase db, String database, String group,
                      Map<TopicPartition, Long> ends, boolean bulkLoad, List<String> jvmOptions, List<CpuWindow.Watched> alsoWatched)
            throws Exception {
        db.createDatabase(database);
        Map<String, String> props = new HashMap<>(db.serviceProperties(database));
        props.put("kafka.bootstrap.servers", kafka.bootstrap());
        // every projection of the service gets groups of its own; only workstation-day has records to fold
        props.put("projection.workstation.group-prefix", group);
        props.put("projection.roster.group-prefix", group + ".roster");
        props.put("projection.presence.group-prefix", group + ".presence");
        props.put("projection.default-zone", settings.zone().getId());
        props.put("projection.workstation.bulk-load", Boolean.toString(bulkLoad));
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        String topic = ends.keySet().iterator().next().topic();
        try (ServiceProcess projection = new ServiceProcess(settings, "projection-service", database, props, jvmOptions);
             Connection c = db.connect(database)) {
            long launched = System.nanoTime();
            projection.launch();
            long deadline = launched + settings.replayTimeout().toNanos();
            long firstSeen = 0;
            long foldedAtFirstSight = 0;
            Instant readyAt = null;
            CpuWindow cpu = null;
            long folded = 0;
            while (folded < total) {
                projection.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replay did not finish within " + settings.replayTimeout()
                            + " (BENCH_REPLAY_TIMEOUT_MINUTES)");
                }
                Thread.sleep(100);
                folded = folded(c, topic, ends);
                if (folded > 0 && cpu == null) {
                    firstSeen = System.nanoTime();
                    foldedAtFirstSight = folded;
                    readyAt = Instant.now();
                    List<CpuWindow.Watched> watched = new ArrayList<>();
                    watched.add(new CpuWindow.Watched("projection", projection.pid(), false));
                    watched.addAll(alsoWatched);
                    cpu = CpuWindow.open(watched);
                }
            }
            long loadedAt = System.nanoTime();
            while (loading(c)) {
                projection.checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replay did not finish folding within " + settings.replayTimeout()
                            + " (BENCH_REPLAY_TIMEOUT_MINUTES)");
                }
                Thread.sleep(20);
            }
            long done = System.nanoTime();
            Instant doneAt = Instant.now();
            Map<String, Double> cores = cpu.close();
            double seconds = (done - firstSeen) / 1e9;
            if (folded == foldedAtFirstSight) {
                throw new IllegalStateException("the whole topic was folded before the first look at the checkpoints: "
                        + "too little data to time a replay (raise BENCH_DAYS or BENCH_EMPLOYEES)");
            }
            return new Result((total - foldedAtFirstSight) / seconds, total, seconds, (firstSeen - launched) / 1e9,
                    (done - loadedAt) / 1e9, bulkLoad, cores, outcomes(projection.port()), readyAt, doneAt);
        }
    }

    /** Whether workstation-day's generation still loads in bulk (its checkpoints at the end, the fold still to come). */
    private static boolean loading(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT bool_or(loading) FROM projection_generation WHERE projection = 'workstation-day'");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** How many of the records below the end offsets the checkpoints have passed (0 before the schema exists). */
    private static long folded(Connection c, String topic, Map<TopicPartition, Long> ends) {
        try (PreparedStatement progress = c.prepareStatement(
                "SELECT partition, next_offset FROM projection_checkpoint WHERE projection = 'workstation-day' AND topic = ?")) {
            progress.setString(1, topic);
            return folded(progress, topic, ends);
        } catch (SQLException e) {
            return 0; // the service has not created its tables yet
        }
    }

    /** How many of the records below the end offsets the checkpoints have passed. */
    private static long folded(PreparedStatement progress, String topic, Map<TopicPartition, Long> ends) throws SQLException {
        long n = 0;
        try (ResultSet rs = progress.executeQuery()) {
            while (rs.next()) {
                Long end = ends.get(new TopicPartition(topic, rs.getInt(1)));
                if (end != null) {
                    n += Math.min(rs.getLong(2), end);
                }
            }
        }
        return n;
    }

    /** workstation-day's own count of folded, duplicate and skipped events (all generations), from /q/metrics. */
    static Map<String, Double> outcomes(int port) {
        Map<String, Double> m = new HashMap<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = EVENTS.matcher(body);
            while (matcher.find()) {
                String labels = matcher.group(1);
                Matcher outcome = OUTCOME.matcher(labels);
                if (labels.contains("projection=\"workstation-day\"") && outcome.find()) {
                    m.merge(outcome.group(1), Double.parseDouble(matcher.group(2)), Double::sum);
                }
            }
        } catch (IOException e) {
            // the figures without the breakdown
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return m;
    }
}
