package dev.rollcall.projection;

import dev.rollcall.events.AgentDowntimeReported;
import dev.rollcall.events.AgentEnrolled;
import dev.rollcall.events.AgentHeartbeat;
import dev.rollcall.events.AgentRevoked;
import dev.rollcall.events.EventEnvelope;
import dev.rollcall.projection.agents.Downtime;
import dev.rollcall.projection.agents.Downtimes;
import dev.rollcall.testsupport.KafkaResource;
import dev.rollcall.testsupport.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agents projection's bulk load against a real PostgreSQL, driven by hand on generations of its own: random
 * heartbeat timelines (steps around the 700 s threshold, lone beats between two gaps, beats at the same time,
 * sign-offs, a network agent's stop), outages, enrollments and re-sent copies, loaded in shuffled batches, end in
 * the gaps of the pure {@link Downtimes} fold and in the same rows, table by table, as folding them batch by batch.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
class AgentsBulkLoadTest {

    private static final AtomicInteger GENERATIONS = new AtomicInteger(800);
    private static final Instant T0 = Instant.parse("2026-10-05T06:00:00Z");
    private static final List<String> TABLES = List.of("agents_heartbeat_g", "agent_status_g", "agent_gap_g",
            "agent_reported_downtime_g", "agent_enrollment_g");

    @Inject
    AgentsProjection projection;
    @Inject
    ProjectionConfig config;
    @Inject
    Pool pool;

    @Test
    void theLoadsEndFoldsWhatBatchByBatchFoldingWouldHave() throws Exception {
        long base = new Random().nextLong();
        for (int trial = 0; trial < 8; trial++) {
            long seed = base + trial;
            Random random = new Random(seed);
            String site = "bulk-agents-" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, List<EventEnvelope>> timelines = new LinkedHashMap<>();
            for (int a = 0; a < 5; a++) {
                String agent = (a % 2 == 0 ? "ws-" : "net-") + a;
                timelines.put(agent, timeline(site, agent, agent.startsWith("ws-"), random));
            }
            List<EventEnvelope> others = List.of(
                    EventEnvelope.of(UUID.randomUUID(), "ingest/stafftrace", T0.plusSeconds(9000), site, "net-1",
                            new AgentDowntimeReported(T0.plusSeconds(4000), T0.plusSeconds(4600))),
                    EventEnvelope.of(UUID.randomUUID(), "ingest/enrollment", T0.minusSeconds(600), site, "net-9",
                            new AgentEnrolled("net-9", "pi-9")),
                    EventEnvelope.of(UUID.randomUUID(), "admin", T0.plusSeconds(60), site, "ws-0", new AgentRevoked("ws-0")));
            List<EventEnvelope> delivered = new ArrayList<>(others);
            timelines.values().forEach(delivered::addAll);
            int unique = delivered.size();
            List.copyOf(delivered).stream().filter(e -> random.nextInt(4) == 0).forEach(delivered::add); // re-sent
            Collections.shuffle(delivered, random);

            int g = loadingGeneration();
            Projection.Folded loaded = inRandomBatches(delivered, random, (tx, batch) -> projection.prepareLoad(g, batch).store(tx));
            assertThat(count("SELECT count(*) FROM agent_gap_g" + g + " UNION ALL SELECT count(*) FROM agent_status_g" + g))
                    .as("nothing is folded from heartbeats while loading").isZero();
            Projection.Folded folded = pool.withTransaction(tx -> projection.finishLoading(tx, pool, g)).await().atMost(Duration.ofSeconds(60));

            long heartbeats = delivered.stream().filter(e -> e.data() instanceof AgentHeartbeat).count();
            long uniqueHeartbeats = timelines.values().stream().mapToInt(List::size).sum();
            long outagesResent = delivered.stream().filter(e -> e.data() instanceof AgentDowntimeReported).count() - 1;
            assertThat(loaded.fresh() + loaded.duplicates()).as("seed %d: every record stored or dropped while loading", seed)
                    .isEqualTo(delivered.size());
            assertThat(loaded.duplicates()).as("seed %d: an outage re-sent is dropped as it comes", seed).isEqualTo(outagesResent);
            assertThat(folded.duplicates()).as("seed %d: the heartbeats re-sent", seed).isEqualTo(heartbeats - uniqueHeartbeats);
            assertThat(folded.fresh()).as("seed %d: each heartbeat once, and the other events", seed)
                    .isEqualTo(uniqueHeartbeats + (delivered.size() - heartbeats) - outagesResent);
            assertThat(unique).isLessThanOrEqualTo(folded.fresh());
            for (Map.Entry<String, List<EventEnvelope>> t : timelines.entrySet()) {
                List<Downtimes.Beat> beats = t.getValue().stream().map(e -> new Downtimes.Beat(e.time(), signedOff(e))).toList();
                List<String> expected = Downtimes.ofBeats(beats, List.of(), config.agents().offlineAfter()).stream()
                        .map(d -> d.start() + "|" + d.end()).toList();
                assertThat(strings("SELECT start_at, end_at FROM agent_gap_g" + g + " WHERE site = $1 AND agent_id = $2 ORDER BY start_at",
                        site, t.getKey())).as("seed %d: the gaps of %s", seed, t.getKey()).isEqualTo(expected);
            }
            assertThat(count("SELECT count(*) FROM pg_class WHERE relname IN ('agents_heartbeat_load_g" + g + "', 'agents_load_folded_g" + g + "')"))
                    .as("the load's tables are dropped").isZero();
            assertThat(count("SELECT count(*) FROM pg_indexes WHERE tablename = 'agents_heartbeat_g" + g + "'"))
                    .as("the key and the index by agent are built").isEqualTo(2);

            // the same deliveries folded batch by batch, as live events are, into another generation: the same rows
            int live = foldingGeneration();
            Projection.Folded batchByBatch = inRandomBatches(delivered, random, (tx, batch) -> projection.fold(tx, live, batch));
            assertThat(batchByBatch).as("seed %d: the counts batch by batch", seed)
                    .isEqualTo(new Projection.Folded(folded.fresh(), folded.duplicates() + loaded.duplicates()));
            ReadModelRows.assertSameRows(TABLES, g, live, "seed " + seed + ": the load and batch by batch");
            pool.query("SELECT rollcall_agents_drop(" + g + "), rollcall_agents_drop(" + live + ")").execute().await().indefinitely();
        }
    }

    @Test
    void aLateHeartbeatInsideTwoMergedGapsRefoldsBothOfThem() {
        String site = "merged-" + UUID.randomUUID().toString().substring(0, 8);
        int g = foldingGeneration();
        // 0, 1000, 2000 s: two gaps around a lone heartbeat, stored as one downtime
        fold(g, beatAt(site, "a", 0), beatAt(site, "a", 1000), beatAt(site, "a", 2000), beatAt(site, "b", 0),
                beatAt(site, "b", 1000), beatAt(site, "b", 2000));
        assertThat(strings("SELECT agent_id, start_at, end_at FROM agent_gap_g" + g + " WHERE site = $1 ORDER BY agent_id", site))
                .containsExactly("a|" + T0 + "|" + T0.plusSeconds(2000), "b|" + T0 + "|" + T0.plusSeconds(2000));
        // a: late, in the first gap, which still ends at 1000 where the second starts: one downtime from 250 to 2000;
        // b: late, in the second, which it closes (1000 to 1500 to 2000): the first stays
        fold(g, beatAt(site, "a", 250), beatAt(site, "b", 1500));
        assertThat(strings("SELECT agent_id, start_at, end_at FROM agent_gap_g" + g + " WHERE site = $1 ORDER BY agent_id", site))
                .containsExactly("a|" + T0.plusSeconds(250) + "|" + T0.plusSeconds(2000), "b|" + T0 + "|" + T0.plusSeconds(1000));
        pool.query("SELECT rollcall_agents_drop(" + g + ")").execute().await().indefinitely();
    }

    private void fold(int g, EventEnvelope... events) {
        pool.withTransaction(tx -> projection.fold(tx, g, new Projection.PartitionBatch("rollcall.agents", 0, List.of(events))))
                .await().atMost(Duration.ofSeconds(30));
    }

    private static EventEnvelope beatAt(String site, String agent, int seconds) {
        return EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, T0.plusSeconds(seconds), site, agent,
                new AgentHeartbeat(agent, "1.0.0", "host-" + agent, "Linux", 60, 0, 1200L, List.of(), false));
    }

    @Test
    void theLatestOfTwoHeartbeatsAtTheSameTimeIsTheOnePostgresOrdersLastWhateverTheBatches() {
        // ids whose order differs signed (Java's UUID.compareTo) and unsigned (PostgreSQL's)
        UUID low = UUID.fromString("10000000-0000-4000-8000-000000000001");
        UUID high = UUID.fromString("f0000000-0000-4000-8000-000000000001");
        assertThat(high.compareTo(low)).as("Java's own order").isNegative();
        String site = "tie-" + UUID.randomUUID().toString().substring(0, 8);
        EventEnvelope a = EventEnvelope.of(low, "agent/net-1", T0, site, "net-1",
                new AgentHeartbeat("net-1", "1.0.0", "host-a", "Linux", 60, 0, 1200L, List.of(), false));
        EventEnvelope b = EventEnvelope.of(high, "agent/net-1", T0, site, "net-1",
                new AgentHeartbeat("net-1", "1.0.0", "host-b", "Linux", 60, 0, 1200L, List.of(), false));
        int together = foldingGeneration();
        int apart = foldingGeneration();
        pool.withTransaction(tx -> projection.fold(tx, together, new Projection.PartitionBatch("rollcall.agents", 0, List.of(a, b))))
                .await().indefinitely();
        for (EventEnvelope e : List.of(b, a)) {
            pool.withTransaction(tx -> projection.fold(tx, apart, new Projection.PartitionBatch("rollcall.agents", 0, List.of(e))))
                    .await().indefinitely();
        }
        assertThat(strings("SELECT host FROM agent_status_g" + together + " WHERE site = $1", site)).containsExactly("host-b");
        assertThat(strings("SELECT host FROM agent_status_g" + apart + " WHERE site = $1", site)).containsExactly("host-b");
        pool.query("SELECT rollcall_agents_drop(" + together + "), rollcall_agents_drop(" + apart + ")").execute().await().indefinitely();
    }

    /**
     * An agent's heartbeats: mostly every 5 minutes, sometimes exactly at the threshold, just past it, an hour or a
     * night away, or at the same time as the one before; a workstation agent sometimes signs off before a long pause.
     */
    private static List<EventEnvelope> timeline(String site, String agent, boolean workstation, Random random) {
        List<EventEnvelope> beats = new ArrayList<>();
        Instant at = T0.plusSeconds(random.nextInt(600));
        int n = 20 + random.nextInt(60);
        for (int i = 0; i < n; i++) {
            int step = switch (random.nextInt(12)) {
                case 0 -> 700;
                case 1 -> 701;
                case 2 -> 3600 + random.nextInt(3600);
                case 3 -> 0;
                case 4 -> 800 + random.nextInt(1000);
                default -> 290 + random.nextInt(20);
            };
            at = at.plusSeconds(step);
            boolean stopping = random.nextInt(6) == 0;
            Long lastScan = workstation ? null : Long.valueOf(1000 + random.nextInt(500));
            List<String> devices = workstation ? List.of() : List.of("3c:22:fb:00:00:0" + random.nextInt(10));
            beats.add(EventEnvelope.of(UUID.randomUUID(), "agent/" + agent, at, site, agent, new AgentHeartbeat(agent,
                    "1.0." + random.nextInt(3), "host-" + agent, workstation ? "Windows 11" : "Linux", 60L * i, random.nextInt(4),
                    lastScan, devices, stopping)));
        }
        return beats;
    }

    private static boolean signedOff(EventEnvelope e) {
        AgentHeartbeat h = (AgentHeartbeat) e.data();
        return h.stopping() && h.lastScanMillis() == null;
    }

    /** A generation of its own that folds batch by batch (made as a live one is); no consumer folds it. */
    private int foldingGeneration() {
        int g = GENERATIONS.incrementAndGet();
        pool.query("SELECT rollcall_agents_create(" + g + ")").execute().await().indefinitely();
        return g;
    }

    /** A generation of its own, made as a loading one is; no consumer folds it. */
    private int loadingGeneration() {
        int g = GENERATIONS.incrementAndGet();
        pool.query("SELECT rollcall_agents_create(" + g + "), rollcall_agents_load(" + g + ")").execute().await().indefinitely();
        return g;
    }

    /** Hands the events over in batches of 1 to 120, each in a transaction of its own; what they counted, summed. */
    private Projection.Folded inRandomBatches(List<EventEnvelope> events, Random random,
                                              BiFunction<SqlConnection, Projection.PartitionBatch, Uni<Projection.Folded>> step) {
        Projection.Folded sum = Projection.Folded.NOTHING;
        for (int i = 0; i < events.size(); ) {
            int n = 1 + random.nextInt(120);
            Projection.PartitionBatch batch = new Projection.PartitionBatch("rollcall.agents", 0,
                    events.subList(i, Math.min(events.size(), i + n)));
            sum = sum.plus(pool.withTransaction(tx -> step.apply(tx, batch)).await().atMost(Duration.ofSeconds(30)));
            i += n;
        }
        return sum;
    }

    private List<String> strings(String sql, Object... params) {
        List<String> out = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely().forEach(r -> {
            List<String> cols = new ArrayList<>();
            for (int c = 0; c < r.size(); c++) {
                Object v = r.getValue(c);
                cols.add(v instanceof java.time.OffsetDateTime t ? t.toInstant().toString() : String.valueOf(v));
            }
            out.add(String.join("|", cols));
        });
        return out;
    }

    private long count(String sql) {
        long total = 0;
        for (var r : pool.query(sql).execute().await().indefinitely()) {
            total += r.getLong(0);
        }
        return total;
    }
}
