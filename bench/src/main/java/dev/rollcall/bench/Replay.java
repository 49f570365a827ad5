package dev.rollcall.bench;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One replay run of one projection (workstation-day; presence-day or agents for {@link PresenceReplayBench}): a fresh
 * projection-service process, with consumer groups of its own, folds the projection's topics from offset 0 into an
 * empty database (its first generation), and then, in the same process and database, rebuilds the projection as ops
 * do it.
 *
 * <p>The first start: progress is its checkpoints in {@code projection_checkpoint}, read every 100 ms; the clock
 * runs from the first checkpoint seen until they reach the topic's end offsets, and the records folded before
 * that first sight are left out of the rate. So JVM start-up and schema creation are not in the rate (they are
 * reported apart, as start-up). With bulk loading (the default) the clock stops only when the generation has also
 * folded what it loaded (its {@code loading} flag cleared); that last part is reported apart too, as
 * {@code finishSeconds}. The JVM is cold all through it.
 *
 * <p>The rebuild: once the service is ready, {@code POST /admin/projections/<name>/rebuild} starts a new
 * generation that folds the topic from offset 0 into its own tables under its own consumer group while the first
 * keeps serving, and is switched live when it has caught up. Twice: a service that ops rebuild has been running for
 * a while, but right after the first start the JIT still compiles (on this two-core machine it took most of a core
 * through the first rebuild), so the first rebuild is reported apart and the second is the one timed. Timed from the POST until that generation's row in
 * {@code projection_generation} says {@code live} (what the admin API shows as {@code live.generation}, read
 * without the admin API's wait for the supervisor's next measurement): its bulk load, the fold at the end and the
 * switch, which the service's supervisor makes as soon as the generation has folded what it loaded.
 */
final class Replay {

    /**
     * @param firstRebuild the rebuild right after the first start, while the JIT still compiles what that start ran
     * @param rebuild      the one after it, in a warm JVM: the one timed against Kafka's consumer
     */
    record Result(double perSecond, long events, double seconds, double startupSeconds, double finishSeconds, boolean bulkLoad,
                  Map<String, Double> cores, Map<String, Double> outcomes, Rebuild firstRebuild, Rebuild rebuild) {
    }

    /**
     * A rebuild from the POST until its generation is live: {@code firstCheckpointSeconds} until its first checkpoint
     * (the supervisor starts its consumer at once, the consumer joins its group and stores a first batch),
     * {@code loadSeconds} until its checkpoints reached the end offsets, {@code foldSeconds} from then until it had
     * folded what it loaded, {@code switchSeconds} from then until it was live.
     */
    record Rebuild(int generation, double perSecond, long events, double seconds, double firstCheckpointSeconds,
                   double loadSeconds, double foldSeconds, double switchSeconds, Map<String, Double> cores, Instant postedAt,
                   Instant liveAt) {

        /** The part after the checkpoints reached the end: the fold at the end and the switch. */
        double endSeconds() {
            return foldSeconds + switchSeconds;
        }
    }

    private static final Pattern EVENTS = Pattern.compile("rollcall_projection_events_total\\{([^}]*)}\\s+([0-9.eE+]+)");
    private static final Pattern OUTCOME = Pattern.compile("outcome=\"(\\w+)\"");
    private static final Pattern GENERATION = Pattern.compile("\"generation\"\\s*:\\s*(\\d+)");
    private static final Pattern LIVE_GENERATION = Pattern.compile("\"live\"\\s*:\\s*\\{\\s*\"generation\"\\s*:\\s*(\\d+)");

    private Replay() {
    }

    /**
     * @param service more properties of the service (e.g. another projection switched off)
     * @param rebuild also rebuild the projection after the first start
     * @param jfr     with a path (and a rebuild): record the service with JFR there and forget PostgreSQL's statement
     *                statistics just before the rebuild, the window to profile; null: no profiling
     */
    static Result run(BenchSettings settings, KafkaProcess kafka, BenchDatabase db, String database, String group,
                      String projectionName, Map<String, String> service, Map<TopicPartition, Long> ends, boolean bulkLoad,
                      boolean rebuild, Path jfr,
                      List<CpuWindow.Watched> alsoWatched) throws Exception {
        db.createDatabase(database);
        String token = adminToken();
        Map<String, String> props = new HashMap<>(db.serviceProperties(database));
        props.put("kafka.bootstrap.servers", kafka.bootstrap());
        // every projection of the service gets groups of its own; only workstation-day has records to fold
        props.put("projection.workstation.group-prefix", group);
        props.put("projection.roster.group-prefix", group + ".roster");
        props.put("projection.presence.group-prefix", group + ".presence");
        props.put("projection.default-zone", settings.zone().getId());
        props.put("projection.workstation.bulk-load", Boolean.toString(bulkLoad));
        props.put("projection.admin.token", token);
        props.putAll(service);
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        List<CpuWindow.Watched> watched = new ArrayList<>();
        try (ServiceProcess projection = new ServiceProcess(settings, "projection-service", database, props,
                jfr == null ? List.of() : Profiles.jfrOptions(jfr));
             Connection c = db.connect(database)) {
            long launched = System.nanoTime();
            projection.launch();
            watched.add(new CpuWindow.Watched("projection", projection.pid(), false));
            watched.addAll(alsoWatched);
            long deadline = launched + settings.replayTimeout().toNanos();
            long firstSeen = 0;
            long foldedAtFirstSight = 0;
            CpuWindow cpu = null;
            long folded = 0;
            while (folded < total) {
                checkInTime(projection, deadline, settings, "the replay did not finish");
                Thread.sleep(100);
                folded = folded(c, projectionName, ends, 0);
                if (folded > 0 && cpu == null) {
                    firstSeen = System.nanoTime();
                    foldedAtFirstSight = folded;
                    cpu = CpuWindow.open(watched);
                }
            }
            long loadedAt = System.nanoTime();
            while (loading(c, projectionName, 0)) {
                checkInTime(projection, deadline, settings, "the replay did not finish folding");
                Thread.sleep(20);
            }
            long done = System.nanoTime();
            Map<String, Double> cores = cpu.close();
            double seconds = (done - firstSeen) / 1e9;
            if (folded == foldedAtFirstSight) {
                throw new IllegalStateException("the whole topic was folded before the first look at the checkpoints: "
                        + "too little data to time a replay (raise BENCH_DAYS or BENCH_EMPLOYEES)");
            }
            // the first generation's counts alone: the rebuild counts its events again
            Map<String, Double> outcomes = outcomes(projection.port(), projectionName);
            Rebuild first = null;
            Rebuild rebuilt = null;
            if (rebuild) {
                projection.awaitReady(Duration.ofSeconds(120));
                first = rebuild(settings, projection, projectionName, c, token, ends, watched);
                projection.awaitReady(Duration.ofSeconds(120));
                if (jfr != null) {
                    Profiles.resetStatements(db);
                }
                rebuilt = rebuild(settings, projection, projectionName, c, token, ends, watched);
            }
            return new Result((total - foldedAtFirstSight) / seconds, total, seconds, (firstSeen - launched) / 1e9,
                    (done - loadedAt) / 1e9, bulkLoad, cores, outcomes, first, rebuilt);
        }
    }

    /** Rebuilds a projection through the admin API of a running, caught-up service and times it until it is live. */
    private static Rebuild rebuild(BenchSettings settings, ServiceProcess projection, String name, Connection c, String token,
                                   Map<TopicPartition, Long> ends, List<CpuWindow.Watched> watched) throws Exception {
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        try (HttpClient http = HttpClient.newHttpClient()) {
            CpuWindow cpu = CpuWindow.open(watched);
            Instant postedAt = Instant.now();
            long posted = System.nanoTime();
            HttpResponse<String> started = http.send(admin(projection.port(), token, name, "/rebuild")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (started.statusCode() != 202) {
                throw new IllegalStateException("POST /admin/projections/" + name + "/rebuild answered "
                        + started.statusCode() + ": " + started.body());
            }
            int generation = generation(GENERATION, started.body());
            long deadline = posted + settings.replayTimeout().toNanos();
            long firstCheckpoint = 0;
            long folded = 0;
            while (folded < total) {
                checkInTime(projection, deadline, settings, "the rebuild did not load the topic");
                Thread.sleep(100);
                folded = folded(c, name, ends, generation);
                if (folded > 0 && firstCheckpoint == 0) {
                    firstCheckpoint = System.nanoTime();
                }
            }
            long loaded = System.nanoTime();
            while (loading(c, name, generation)) {
                checkInTime(projection, deadline, settings, "the rebuild did not fold what it loaded");
                Thread.sleep(20);
            }
            long foldedAll = System.nanoTime();
            while (!live(c, name, generation)) {
                checkInTime(projection, deadline, settings, "the rebuild was not switched live");
                Thread.sleep(20);
            }
            long live = System.nanoTime();
            Instant liveAt = Instant.now();
            Map<String, Double> cores = cpu.close();
            awaitAdminSaysLive(http, projection, token, name, generation);
            double seconds = (live - posted) / 1e9;
            return new Rebuild(generation, total / seconds, total, seconds, (firstCheckpoint - posted) / 1e9, (loaded - posted) / 1e9,
                    (foldedAll - loaded) / 1e9, (live - foldedAll) / 1e9, cores, postedAt, liveAt);
        }
    }

    /**
     * The admin API shows its supervisor's latest measurement, taken every supervise-interval: wait (untimed) until
     * it too shows the new generation live, so that the bench fails if the API and the registry disagree.
     */
    private static void awaitAdminSaysLive(HttpClient http, ServiceProcess projection, String token, String name, int generation)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> status = http.send(admin(projection.port(), token, name, "").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            body = status.body();
            if (status.statusCode() == 200 && LIVE_GENERATION.matcher(body).find() && generation(LIVE_GENERATION, body) == generation) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("GET /admin/projections/" + name + " does not show generation " + generation
                + " live: " + body);
    }

    private static HttpRequest.Builder admin(int port, String token, String name, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/projections/" + name + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
    }

    private static int generation(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no generation in the admin API's answer: " + json);
        }
        return Integer.parseInt(m.group(1));
    }

    /** A fresh admin token per service: the bench's processes listen on loopback, but nothing else needs to know it. */
    private static String adminToken() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void checkInTime(ServiceProcess projection, long deadline, BenchSettings settings, String what) {
        projection.checkAlive();
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " within " + settings.replayTimeout() + " (BENCH_REPLAY_TIMEOUT_MINUTES)");
        }
    }

    /**
     * Whether the projection's {@code generation} (0: any, when there is only the first) still loads in bulk (its
     * checkpoints at the end, the fold still to come).
     */
    private static boolean loading(Connection c, String name, int generation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT bool_or(loading) FROM projection_generation "
                + "WHERE projection = ? AND (? = 0 OR generation = ?)")) {
            ps.setString(1, name);
            ps.setInt(2, generation);
            ps.setInt(3, generation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Whether the projection's {@code generation} is the live one (the one the readers' views point at). */
    private static boolean live(Connection c, String name, int generation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status = 'live' FROM projection_generation "
                + "WHERE projection = ? AND generation = ?")) {
            ps.setString(1, name);
            ps.setInt(2, generation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * How many of the records below the end offsets (of every topic the projection reads) the checkpoints of
     * {@code generation} (0: any, when there is only the first) have passed; 0 before the schema exists.
     */
    private static long folded(Connection c, String name, Map<TopicPartition, Long> ends, int generation) {
        try (PreparedStatement progress = c.prepareStatement("SELECT topic, partition, next_offset FROM projection_checkpoint "
                + "WHERE projection = ? AND (? = 0 OR version = ?)")) {
            progress.setString(1, name);
            progress.setInt(2, generation);
            progress.setInt(3, generation);
            long n = 0;
            try (ResultSet rs = progress.executeQuery()) {
                while (rs.next()) {
                    Long end = ends.get(new TopicPartition(rs.getString(1), rs.getInt(2)));
                    if (end != null) {
                        n += Math.min(rs.getLong(3), end);
                    }
                }
            }
            return n;
        } catch (SQLException e) {
            return 0; // the service has not created its tables yet
        }
    }

    /** The projection's own count of folded, duplicate and skipped events (all generations), from /q/metrics. */
    static Map<String, Double> outcomes(int port, String name) {
        Map<String, Double> m = new HashMap<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher matcher = EVENTS.matcher(body);
            while (matcher.find()) {
                String labels = matcher.group(1);
                Matcher outcome = OUTCOME.matcher(labels);
                if (labels.contains("projection=\"" + name + "\"") && outcome.find()) {
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
